package dev.concierge.commerce.tools;

/** The tenant has not connected a store (or its catalog is not synced yet): nothing live to answer from. */
class StoreNotConnected extends RuntimeException {

    final boolean connected;

    StoreNotConnected(boolean connected) {
        super(connected ? "the store is connected but its catalog has not been synced yet"
                : "no store is connected for this tenant");
        this.connected = connected;
    }
}
