/**
 * Worked answers in two orders, shared by the task families of the reasoning-order comparison
 * (arithmetic, word counting): "steps-first" writes the steps and then the "#### <answer>" line,
 * "answer-first" the same two parts the other way round, so the two SFT variants see the same
 * content and differ only in whether the answer's token can use the steps.
 * Reference: "models need tokens to think" in Karpathy's "Deep Dive into LLMs".
 * Leaves out: answers without steps.
 */
import type { Conversation, Task } from "@llm/core";

export type ReasoningForm = "steps-first" | "answer-first";

/** The steps and the marked answer in the given order. */
export function workedAnswer(steps: string, answer: string, form: ReasoningForm): string {
  return form === "steps-first" ? `${steps}\n#### ${answer}` : `#### ${answer}\n${steps}`;
}

/** One user/assistant conversation per task, the assistant giving `steps(task)` and the answer in `form`. */
export function workedConversations(
  tasks: readonly Task[],
  form: ReasoningForm,
  family: string,
  steps: (task: Task) => string,
): Conversation[] {
  return tasks.map((task) => ({
    messages: [
      { role: "user", content: task.prompt },
      { role: "assistant", content: workedAnswer(steps(task), task.answer, form) },
    ],
    source: `${family}-${form}`,
    metadata: { taskId: task.id, answer: task.answer },
  }));
}
