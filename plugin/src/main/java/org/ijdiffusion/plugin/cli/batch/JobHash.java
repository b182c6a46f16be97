package org.ijdiffusion.plugin.cli.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.ijdiffusion.plugin.io.ResumeRecord;

/**
 * The hash a batch job's resume record ({@link ResumeRecord}) carries: SHA-256 over its canonical
 * generate options (which include the seed) and the identity (size, modification time) of every file
 * they name: model, VAE, LoRAs, init, mask, ControlNets, control images.
 */
final class JobHash {
    private static final String VERSION = "ij-diffusion batch 1";

    private JobHash() {
    }

    static String of(List<String> args) throws IOException {
        MessageDigest d = ResumeRecord.digest();
        update(d, VERSION);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            update(d, a);
            if (a.startsWith("--") && i + 1 < args.size() && JobArgs.PATHS.contains(a.substring(2))) {
                String v = args.get(i + 1);
                if (a.equals("--lora")) {
                    v = v.replaceAll("(:[-+0-9.eE]+){1,2}$", "");
                }
                update(d, identity(Path.of(v)));
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static String identity(Path p) throws IOException {
        if (Files.isRegularFile(p)) {
            return Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis();
        }
        if (Files.isDirectory(p)) {
            StringBuilder sb = new StringBuilder("dir");
            try (Stream<Path> s = Files.walk(p, 3)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    sb.append('|').append(p.relativize(f)).append('=').append(identity(f));
                }
            }
            return sb.toString();
        }
        return "missing";
    }

    private static void update(MessageDigest d, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.update(String.valueOf(b.length).getBytes(StandardCharsets.US_ASCII));
        d.update((byte) ':');
        d.update(b);
    }
}
