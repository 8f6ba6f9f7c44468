/**
 * The JSON side of the chat server's HTTP: sending a JSON body or an error in OpenAI's shape,
 * reading a JSON request body within a size limit, and mapping thrown errors onto HTTP errors
 * (our typed LlmErrors about the input are 400s, anything else a 500 that says what broke).
 * Reference: the OpenAI API's error object. Leaves out: content negotiation and compression.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isLlmError } from "@llm/core";
import { HttpError } from "./openai.js";

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, error.status, error.toJSON());
}

/** Our typed errors about the request become 400s; anything else is a 500 that says what broke. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isLlmError(error, "INVALID_INPUT") || isLlmError(error, "TOKENIZER_ERROR")) {
    return new HttpError(400, "invalid_request_error", error.message, "messages");
  }
  const message = error instanceof Error ? error.message : String(error);
  return new HttpError(500, "server_error", `Internal error while answering: ${message}`);
}

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new HttpError(415, "invalid_request_error", "Send the body as application/json.");
  }
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) {
    throw new HttpError(413, "invalid_request_error", `The body is larger than ${maxBytes} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const part of req) {
    size += (part as Buffer).length;
    if (size > maxBytes)
      throw new HttpError(413, "invalid_request_error", `The body is larger than ${maxBytes} bytes.`);
    chunks.push(part as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "invalid_request_error", "The body is not valid JSON.");
  }
}
