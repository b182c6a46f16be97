package org.ijdiffusion.plugin.slurm;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A single-node SLURM started by examples/slurm/local/start-local-slurm.sh with all its state in one
 * folder (own munge key and socket, own slurm.conf through SLURM_CONF, free ports), stopped by the pids
 * of its pid files. When it cannot start (not root, slurm-wlm or munge missing) the test is skipped with
 * the script's reason.
 */
final class LocalSlurm implements AutoCloseable {
    private final Path scripts;
    private final Path dir;

    private LocalSlurm(Path scripts, Path dir) {
        this.scripts = scripts;
        this.dir = dir;
    }

    /** Starts it in {@code dir}, or aborts the test (JUnit assumption) with why it cannot. */
    static LocalSlurm start(Path repo, Path dir) throws Exception {
        Path scripts = repo.resolve("examples/slurm/local");
        LocalSlurm s = new LocalSlurm(scripts, dir);
        ProcessBuilder pb = new ProcessBuilder("bash", scripts.resolve("start-local-slurm.sh").toString(), dir.toString());
        pb.environment().put("SLURMCTLD_PORT", Integer.toString(freePort()));
        pb.environment().put("SLURMD_PORT", Integer.toString(freePort()));
        Result r = run(pb, Duration.ofSeconds(90));
        if (r.code != 0) {
            s.close(); // whatever did start
            Assumptions.abort("SLURM test skipped: a single-node SLURM cannot start here ("
                    + r.output.strip().replace('\n', ' ') + ")");
        }
        return s;
    }

    Path conf() {
        return dir.resolve("slurm.conf");
    }

    /** A SLURM client command (sbatch, squeue...) against this cluster; its output, or an AssertionError. */
    String client(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().put("SLURM_CONF", conf().toString());
        Result r = run(pb, Duration.ofSeconds(60));
        if (r.code != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.code + "): " + r.output);
        }
        return r.output;
    }

    /** Waits until no task of job {@code id} is queued or running; false on timeout. */
    boolean await(String id, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (client(Map.of(), "squeue", "-h", "-j", id, "-o", "%i").isBlank()) {
                return true;
            }
            Thread.sleep(2000);
        }
        return false;
    }

    /** The daemons' logs, for a failure message. */
    String logs() throws IOException {
        StringBuilder b = new StringBuilder();
        for (String f : List.of("ctld.log", "d.log")) {
            Path p = dir.resolve(f);
            if (Files.exists(p)) {
                List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                b.append("--- ").append(f).append(" (last lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())))
                        .append('\n');
            }
        }
        return b.toString();
    }

    /** Stops the daemons by the pids in their pid files (never by name). */
    @Override
    public void close() throws Exception {
        run(new ProcessBuilder("bash", scripts.resolve("stop-local-slurm.sh").toString(), dir.toString()),
                Duration.ofSeconds(30));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(ProcessBuilder pb, Duration timeout) throws Exception {
        pb.redirectErrorStream(true);
        Path log = Files.createTempFile("slurm-cmd", ".txt");
        pb.redirectOutput(log.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            Files.deleteIfExists(log);
            return new Result(127, "cannot run " + pb.command().get(0) + ": " + e.getMessage());
        }
        boolean ended = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(pb.command());
        return ended ? new Result(p.exitValue(), out) : new Result(124, String.join(" ", cmd) + " timed out: " + out);
    }
}
