package org.ijdiffusion.plugin.io;

/** An output that would overwrite an input (or is a folder): bad input, exit 2 in the CLI. */
public final class OutputClashException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public OutputClashException(String message) {
        super(message);
    }
}
