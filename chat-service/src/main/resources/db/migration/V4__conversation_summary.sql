-- Long conversations are summarised: `summary` condenses the conversation's first `summary_upto` messages
-- (redacted, like `messages.content`); the messages after them are given to the model verbatim.
alter table conversations add column summary text;
alter table conversations add column summary_upto integer not null default 0;
