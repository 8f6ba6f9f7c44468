// The chat page: streams replies from /v1/chat/completions (SSE over POST), renders tool calls
// and their outputs, and shows how any message splits into tokens via /api/tokenize.
const history = [];
const messagesEl = document.getElementById("messages");
const input = document.getElementById("input");
const form = document.getElementById("composer");
const tokenView = document.getElementById("token-view");
const tokensEl = document.getElementById("tokens");
const colors = ["#ffe1e1", "#e1f5e1", "#e1e9ff", "#fff3cc", "#f1e1ff", "#dff7f7"];

fetch("/api/info")
  .then((r) => r.json())
  .then((info) => {
    const parts = [
      info.model,
      info.stage && `stage ${info.stage}`,
      info.parameters && `${info.parameters} params`,
      info.backend && `backend ${info.backend}`,
      `tokenizer ${info.tokenizer} (${info.vocabSize})`,
      info.run && `run ${info.run}`,
    ];
    document.getElementById("info").textContent = parts.filter(Boolean).join(" · ");
  })
  .catch(() => {
    document.getElementById("info").textContent = "model info unavailable";
  });

function addBubble(role, text) {
  const div = document.createElement("div");
  div.className = `msg ${role}`;
  const body = document.createElement("div");
  body.className = "body";
  body.textContent = text;
  div.append(body);
  const btn = document.createElement("button");
  btn.className = "tok-btn";
  btn.type = "button";
  btn.textContent = "tokens";
  btn.addEventListener("click", () => showTokens(div.dataset.text ?? body.textContent));
  div.append(btn);
  div.dataset.text = text;
  messagesEl.append(div);
  messagesEl.scrollTop = messagesEl.scrollHeight;
  return div;
}

async function showTokens(text) {
  const res = await fetch("/api/tokenize", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text }),
  });
  const { tokens } = await res.json();
  tokensEl.textContent = "";
  tokens.forEach((t, i) => {
    const span = document.createElement("span");
    span.style.background = colors[i % colors.length];
    span.textContent = t.text.replace(/ /g, "\u00b7").replace(/\n/g, "\u21b5");
    const id = document.createElement("small");
    id.textContent = t.id;
    span.append(id);
    span.title = `id ${t.id}`;
    tokensEl.append(span);
  });
  document.getElementById("token-count").textContent = `${tokens.length} tokens`;
  tokenView.hidden = false;
}
document.getElementById("token-close").addEventListener("click", () => {
  tokenView.hidden = true;
});
document.getElementById("reset").addEventListener("click", () => {
  history.length = 0;
  messagesEl.textContent = "";
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  history.push({ role: "user", content: text });
  addBubble("user", text);
  const bubble = addBubble("assistant", "");
  let segment = bubble.querySelector(".body");
  let content = "";
  const res = await fetch("/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      messages: history,
      stream: true,
      temperature: Number(document.getElementById("temperature").value),
      x_tools: document.getElementById("tools").checked,
    }),
  });
  if (!res.ok) {
    const err = await res.json().catch(() => ({ error: { message: res.statusText } }));
    segment.textContent = `Error: ${err.error.message}`;
    segment.classList.add("error-banner");
    history.pop();
    return;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
      const line = buffer.slice(0, cut).trim();
      buffer = buffer.slice(cut + 2);
      if (!line.startsWith("data: ")) continue;
      const data = line.slice(6);
      if (data === "[DONE]") continue;
      const delta = JSON.parse(data).choices[0].delta;
      if (delta.content) {
        segment.textContent += delta.content;
        content += delta.content;
      }
      if (delta.x_tool_call) {
        const pre = document.createElement("pre");
        pre.className = "tool-call";
        const code = document.createElement("code");
        code.textContent = delta.x_tool_call.code;
        pre.append(code);
        bubble.insertBefore(pre, bubble.querySelector(".tok-btn"));
      }
      if (delta.x_tool_output) {
        const pre = document.createElement("pre");
        pre.className = `tool-output${delta.x_tool_output.is_error ? " error" : ""}`;
        pre.textContent = delta.x_tool_output.output;
        bubble.insertBefore(pre, bubble.querySelector(".tok-btn"));
        segment = document.createElement("div");
        segment.className = "body";
        bubble.insertBefore(segment, bubble.querySelector(".tok-btn"));
      }
      messagesEl.scrollTop = messagesEl.scrollHeight;
    }
  }
  bubble.dataset.text = content;
  bubble.dataset.done = "true";
  history.push({ role: "assistant", content });
});
