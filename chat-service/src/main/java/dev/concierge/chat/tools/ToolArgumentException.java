package dev.concierge.chat.tools;

/** A tool argument failed validation before any call was made; the message names the argument. */
public class ToolArgumentException extends IllegalArgumentException {

    private final String argument;

    public ToolArgumentException(String argument, String message) {
        super(argument + ": " + message);
        this.argument = argument;
    }

    public String argument() {
        return argument;
    }
}
