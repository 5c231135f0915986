-- Which index document (url in pages/chunks) holds each store product of commerce.product-changed.v1, so a
-- deleted product, or one whose permalink changed, takes its document with it.
CREATE TABLE product_documents (
    tenant_id  text   NOT NULL,
    product_id bigint NOT NULL,
    url        text   NOT NULL,
    PRIMARY KEY (tenant_id, product_id)
);
