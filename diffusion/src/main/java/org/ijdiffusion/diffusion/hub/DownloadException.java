package org.ijdiffusion.diffusion.hub;

import java.io.IOException;

/** A download or verification that failed; the message is one line that says what happened and what is left on disk. */
public class DownloadException extends IOException {
    private static final long serialVersionUID = 1L;

    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
