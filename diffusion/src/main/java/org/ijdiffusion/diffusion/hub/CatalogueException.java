package org.ijdiffusion.diffusion.hub;

/** A catalogue that cannot be used: the message names the entry and the field. */
public class CatalogueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CatalogueException(String message) {
        super(message);
    }
}
