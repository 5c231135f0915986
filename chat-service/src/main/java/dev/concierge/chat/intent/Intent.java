package dev.concierge.chat.intent;

/** What a shopper's message asks for, as the offline agent routes it. */
public enum Intent {
    /** hello, thanks */
    GREETING,
    /** wants a person: "can I talk to someone", "email support" */
    HANDOFF,
    /** where is my order, has it shipped, tracking */
    ORDER_STATUS,
    /** price, stock, availability or details of a product */
    PRODUCT,
    /** anything the store's pages may answer: shipping, returns, warranty, opening hours... (the default) */
    STORE_CONTENT,
    /** clearly not about the store: weather, jokes, homework, code */
    OUT_OF_SCOPE
}
