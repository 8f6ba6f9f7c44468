// The chat page: streams replies from /v1/chat/completions (SSE over POST) as they are made,
// one reply at a time (send is disabled while one streams), renders tool calls and their outputs
// (an unclosed call as unfinished code), shows errors in the reply's bubble while keeping the
// conversation, notes when older messages were left out to fit the context, and shows how any
// message splits into tokens via /api/tokenize.
const history = [];
const sendButton = document.getElementById("send");
let busy = false;
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
      info.stage && `stage ${info.stage}${info.stageChosenBy ? ` (${info.stageChosenBy})` : ""}`,
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

function setBusy(value) {
  busy = value;
  sendButton.disabled = value;
  form.dataset.busy = value ? "true" : "false";
}

function showError(bubble, segment, message) {
  const div = document.createElement("div");
  div.className = "error-banner";
  div.textContent = `Error: ${message}`;
  bubble.insertBefore(div, bubble.querySelector(".tok-btn"));
  if (segment && segment.textContent === "") segment.remove();
  bubble.dataset.error = "true";
}

function addNote(bubble, text) {
  const div = document.createElement("div");
  div.className = "note";
  div.textContent = text;
  bubble.insertBefore(div, bubble.querySelector(".body"));
}

function addPre(bubble, className, text) {
  const pre = document.createElement("pre");
  pre.className = className;
  if (className.startsWith("tool-call")) {
    const code = document.createElement("code");
    code.textContent = text;
    pre.append(code);
  } else pre.textContent = text;
  bubble.insertBefore(pre, bubble.querySelector(".tok-btn"));
}

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text || busy) return;
  setBusy(true);
  input.value = "";
  const userMessage = { role: "user", content: text };
  history.push(userMessage);
  const userBubble = addBubble("user", text);
  const bubble = addBubble("assistant", "");
  let segment = bubble.querySelector(".body");
  let content = "";
  // On failure the message leaves the history (it never got an answer) and goes back into the
  // input box, so the conversation stays as it was and the text is not lost.
  const fail = (message) => {
    showError(bubble, segment, message);
    history.splice(history.indexOf(userMessage), 1);
    userBubble.classList.add("failed");
    if (input.value === "") input.value = text;
  };
  try {
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
      fail(err.error.message);
      return;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let failed = false;
    let finished = false;
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
        const payload = JSON.parse(data);
        if (payload.error) {
          failed = true;
          fail(payload.error.message);
          continue;
        }
        const choice = payload.choices[0];
        if (!choice) continue;
        if (choice.finish_reason) finished = true;
        const delta = choice.delta;
        if (delta.x_context?.dropped_messages) {
          addNote(
            bubble,
            `${delta.x_context.dropped_messages} older messages were left out to fit the model's context.`,
          );
        }
        if (delta.x_tool_call?.unfinished) {
          // Shown as code; its marked-up text in delta.content stays out of the history.
          addPre(bubble, "tool-call unfinished", delta.x_tool_call.code);
          continue;
        }
        if (delta.content) {
          segment.textContent += delta.content;
          content += delta.content;
        }
        if (delta.x_tool_call) addPre(bubble, "tool-call", delta.x_tool_call.code);
        if (delta.x_tool_output) {
          addPre(
            bubble,
            `tool-output${delta.x_tool_output.is_error ? " error" : ""}`,
            delta.x_tool_output.output,
          );
          segment = document.createElement("div");
          segment.className = "body";
          bubble.insertBefore(segment, bubble.querySelector(".tok-btn"));
        }
        messagesEl.scrollTop = messagesEl.scrollHeight;
      }
    }
    if (!failed && !finished) fail("the reply ended early (the connection closed).");
    else if (!failed) history.push({ role: "assistant", content });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  } finally {
    bubble.dataset.text = content;
    bubble.dataset.done = "true";
    setBusy(false);
    input.focus();
  }
});
