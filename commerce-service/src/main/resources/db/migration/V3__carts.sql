-- Shoppers' carts as the store or the widget reports them (PUT /api/commerce/carts/{session_id}), for
-- commerce.cart-abandoned.v1. No personal data: the session id is the widget's random id.
CREATE TABLE carts (
    tenant_id        text        NOT NULL,
    session_id       text        NOT NULL,
    items            jsonb       NOT NULL,
    total            text,
    currency         text,
    -- active: being filled; abandoned: idle past the threshold (published); checked_out; emptied
    status           text        NOT NULL,
    updated_at       timestamptz NOT NULL,
    abandoned_at     timestamptz,
    PRIMARY KEY (tenant_id, session_id)
);
CREATE INDEX carts_active_idle ON carts (updated_at) WHERE status = 'active';
