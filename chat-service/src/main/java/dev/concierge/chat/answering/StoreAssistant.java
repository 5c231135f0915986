package dev.concierge.chat.answering;

import dev.langchain4j.service.Result;
import dev.langchain4j.service.UserMessage;

/**
 * The store's assistant as a LangChain4j AI service ({@code AiServices}): LangChain4j runs the conversation with
 * the model, the tool calls it asks for (the store's commerce tools, {@link dev.concierge.chat.tools.ModelTools})
 * and their results, and returns the final text with the tool executions. {@link LlmResponder} builds one per
 * turn: its system message (rules, the tenant's support address, the numbered store passages, the summary of
 * the earlier conversation) and its memory (the latest turns) are fitted to the token budget for that turn.
 */
interface StoreAssistant {

    Result<String> answer(@UserMessage String question);
}
