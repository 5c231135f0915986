-- PII: `content` holds the message with personal data redacted ([email], [phone], [card], [iban], [address]);
-- it is what transcripts, events, logs and the model's history see. For user messages that contained personal
-- data, `content_private` keeps the original text for the tools that need it while the conversation is active
-- (an order lookup needs the shopper's email). It is set to null when the conversation expires, and is never
-- returned by the API or published. V3 (a Java migration) redacts the messages stored before this one.
alter table messages add column content_private text;
-- The expiry sweep finds private originals left in expired conversations (a message racing the expiry).
create index messages_private on messages (conversation_id) where content_private is not null;

-- The tools the assistant ran for this message, in order:
--   [{"name": "lookup_order", "arguments": {"email": "[email]", "order_number": "1234"},
--     "duration_ms": 182, "outcome": "ok"}]
-- `outcome` is one snake_case word: ok | error | timeout | not_connected, or a tool's own (not_found, invalid).
-- `arguments` are recorded with personal data redacted (dev.concierge.chat.conversation.ToolCall).
alter table messages add column tool_calls jsonb not null default '[]'
    constraint messages_tool_calls_is_array check (jsonb_typeof(tool_calls) = 'array');

-- Kept with the conversation so a message's chat.conversation-updated.v1 event needs no count(*).
alter table conversations add column message_count integer not null default 0;
update conversations c set message_count = (select count(*) from messages m where m.conversation_id = c.id);

-- The expiry sweep looks for active conversations idle for longer than the session TTL.
create index conversations_active_idle on conversations (last_activity_at) where status = 'active';
