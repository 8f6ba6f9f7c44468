/**
 * isSmallTalkReply: whether an assistant reply answers a greeting or small talk as such: it
 * greets, says how it is, says "you're welcome", says goodbye or offers to help, in English or
 * Chinese, and it neither calls a tool nor gives a task answer ("#### ..."). "My name is Nano."
 * to "Hello!" is not small talk; "Hello! I'm Nano. How can I help?" is.
 * Reference: none. Leaves out: judging whether the reply fits the kind of small talk.
 */
export const SMALL_TALK_PATTERNS: readonly RegExp[] = [
  /\b(hello|hi|hey|hiya|howdy|greetings|welcome)\b/i,
  /\bgood (morning|afternoon|evening|night|day)\b/i,
  /\b(nice|good|glad|pleased|happy) to (meet|see|hear|talk|chat|help)\b/i,
  /\b(how can i help|what can i do for you|can i help|help you)\b/i,
  /\bi'?m (doing )?(well|good|fine|great|okay)\b/i,
  /\b(you'?re welcome|no problem|my pleasure|any ?time)\b/i,
  /\b(thank you|thanks)\b/i,
  /\b(good ?bye|bye|see you|take care|talk (to you )?(soon|later)|have a (nice|good|great))\b/i,
  /你好|您好|不客气|再见|我很好|谢谢|帮你|帮您|很高兴|早上好|晚上好/,
];

export function isSmallTalkReply(reply: { text: string; toolCalls?: readonly string[] }): boolean {
  if ((reply.toolCalls?.length ?? 0) > 0 || reply.text.includes("####")) return false;
  return SMALL_TALK_PATTERNS.some((p) => p.test(reply.text));
}
