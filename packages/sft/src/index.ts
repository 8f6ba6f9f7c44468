/**
 * @llm/sft: see README.md. Exports are added as the package issue lands.
 */
export {};
