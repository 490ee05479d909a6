/** Recognising a refusal written as plain text (a model that declined instead of answering in JSON). */

// Anchored at the start and only consulted when the text holds no JSON object at all, so an answer that
// merely mentions "sorry" inside its JSON is never mistaken for a refusal.
const REFUSAL =
  /^\s*(?:I['’]m sorry|I am sorry|Sorry|I apologi[sz]e|I can(?:not|['’]t)|I(?:['’]m| am) (?:not able|unable)|I won['’]t|I will not|As an AI)\b/i;

/** True when text without any JSON object reads as a refusal. */
export function looksLikeRefusal(text: string): boolean {
  return REFUSAL.test(text.slice(0, 200));
}
