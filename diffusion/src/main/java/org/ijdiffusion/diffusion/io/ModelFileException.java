package org.ijdiffusion.diffusion.io;

/**
 * A model file the user gave cannot be used. The message is meant for the user: it names the file
 * (and the tensor, where one is at fault) and says what to do.
 */
public class ModelFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
