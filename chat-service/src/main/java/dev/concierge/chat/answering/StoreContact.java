package dev.concierge.chat.answering;

import java.util.Optional;

/**
 * How an answer sends the shopper to the store's people. Every answer that cannot help (I don't know, a failed
 * order lookup, a request for a person) ends with {@link #GENERIC}; {@link #apply} turns it into the tenant's
 * support e-mail address when the tenant set one (gateway tenant settings, kept by chat-service from
 * {@code tenant.tenant-updated.v1}), so the offer is concrete and never invented.
 */
public final class StoreContact {

    public static final String GENERIC = "You can contact the store's customer service for help.";

    private StoreContact() {
    }

    /** The sentence that offers the support address. */
    public static String withEmail(String supportEmail) {
        return "You can e-mail the store's customer service at " + supportEmail + ".";
    }

    /** {@code answer} with its generic offer of help made concrete when {@code supportEmail} is known. */
    public static Answer apply(Answer answer, Optional<String> supportEmail) {
        if (supportEmail.isEmpty() || answer.text() == null || !answer.text().contains(GENERIC)) {
            return answer;
        }
        return new Answer(answer.text().replace(GENERIC, withEmail(supportEmail.get())), answer.sources(),
                answer.grounded(), answer.toolCalls());
    }
}
