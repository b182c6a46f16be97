package org.ijdiffusion.plugin.ij;

import ij.IJ;
import org.ijdiffusion.diffusion.util.DjlEnvironment;

/**
 * Says in ImageJ's status line (and log) that the first engine start unpacks PyTorch's natives (some hundred MB,
 * once), so that the pause before the first picture is not taken for a hang. Nothing is shown once they are
 * unpacked.
 */
final class EngineStart {
    private EngineStart() {
    }

    /** Shows "COMMAND: first start: unpacking PyTorch (N MB, once) into DIR" when still to come; returns it or null. */
    static String announce(String command) {
        DjlEnvironment.configure(); // the cache folder the engine will use
        DjlEnvironment.Unpack unpack = DjlEnvironment.pendingUnpack();
        if (unpack == null) {
            return null;
        }
        String line = command + ": " + unpack.message();
        IJ.showStatus(line);
        IJ.log(line);
        return line;
    }
}
