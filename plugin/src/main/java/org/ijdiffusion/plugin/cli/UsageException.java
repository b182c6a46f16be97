package org.ijdiffusion.plugin.cli;

/** The command line is wrong; the message says how to fix it. */
public class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
