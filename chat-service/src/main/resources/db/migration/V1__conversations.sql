create table conversations (
    id               uuid        primary key,
    tenant_id        text        not null,
    session_id       text        not null,
    status           text        not null default 'active',  -- active | expired
    created_at       timestamptz not null default now(),
    last_activity_at timestamptz not null default now()
);
-- At most one active conversation per visitor session.
create unique index conversations_active_session on conversations (tenant_id, session_id) where status = 'active';

create table messages (
    id              uuid        primary key,
    conversation_id uuid        not null references conversations (id),
    role            text        not null,  -- user | assistant
    content         text        not null,
    grounded        boolean,
    sources         jsonb       not null default '[]',
    created_at      timestamptz not null default now()
);
create index messages_conversation on messages (conversation_id, created_at);
