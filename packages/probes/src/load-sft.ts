/**
 * loadSft: imports @llm/sft on first use. Its task generators give the probes their default
 * held-out inputs, but it pulls in the model stack (TensorFlow.js), so the package loads it only
 * when a probe needs a default: rendering reports and running probes on given inputs stay light.
 * Reference: none. Leaves out: nothing.
 */
export type SftModule = typeof import("@llm/sft");

let pending: Promise<SftModule> | undefined;

export function loadSft(): Promise<SftModule> {
  pending ??= import("@llm/sft");
  return pending;
}
