package org.ijdiffusion.plugin.fiji;

import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Map;
import javax.imageio.ImageIO;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * Main of the child JVM of {@link FijiLikeStartTest}: a SciJava Context (as Fiji starts one) finds the suite's
 * Text to Image command by its label in the plugin index of the installed jars and runs it:
 * {@code FijiLikeCommandMain MODEL OUT.png}. Prints {@code parameters=...} (first line) and the command's label.
 * Only this class comes from the test classes; everything else from the fake Fiji.app's jars.
 */
public final class FijiLikeCommandMain {
    private FijiLikeCommandMain() {
    }

    public static void main(String[] args) throws Exception {
        Context context = new Context(CommandService.class);
        try {
            CommandService commands = context.service(CommandService.class);
            CommandInfo info = commands.getCommands().stream()
                    .filter(c -> "Diffusion: Text to Image".equals(c.getLabel())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no 'Diffusion: Text to Image' command indexed"));
            System.out.println("command=" + info.getClassName());
            CommandModule m = (CommandModule) commands.run(info, false, Map.of("model", new File(args[0]),
                    "prompt", "a cat", "negative_prompt", "", "width", 64, "height", 64, "steps", 2,
                    "cfg_scale", 7.0, "sampler", "Euler a", "seed", 7L, "clip_skip", 1)).get();
            BufferedImage img = (BufferedImage) m.getOutput("image");
            ImageIO.write(img, "png", new File(args[1]));
            System.out.println("parameters=" + ((String) m.getOutput("parameters")).replace('\n', '|'));
        } finally {
            context.dispose();
        }
        System.exit(0);
    }
}
