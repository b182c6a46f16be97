package org.ijdiffusion.plugin.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * Runs cases and sorts each outcome into tried / refused cleanly / accepted correctly / wrong / crashed.
 *
 * <ul>
 * <li>crashed: an exception escaped the command, a timeout (a hang), exit 1 (internal error), a stack
 *     trace on stderr, a child JVM killed by a signal or leaving an hs_err file;
 * <li>refused cleanly: exit 2, exactly one {@code ij-diffusion ...} line on stderr, matching the
 *     expected message, inputs unchanged, and a refusal was expected (or allowed);
 * <li>accepted correctly: exit 0, the case's check passes, inputs unchanged, acceptance expected or allowed;
 * <li>wrong: anything else (accepted what must be refused, refused what must run, another message, an
 *     input changed, a wrong result).
 * </ul>
 */
public final class FuzzCorpus {
    public enum Verdict { REFUSED_CLEANLY, ACCEPTED_CORRECTLY, WRONG, CRASHED }

    /** One line per case for the log. */
    public record Result(FuzzCase c, Verdict verdict, String detail) {
    }

    static final long TIMEOUT_SECONDS = 120;

    private FuzzCorpus() {
    }

    /** Every generator of the corpus; a new family of cases is one more entry. */
    public static List<Supplier<List<FuzzCase>>> generators() {
        return List.of(CheckpointCases::cases, ArgumentCases::cases, FileCases::cases);
    }

    public static List<FuzzCase> all() {
        List<FuzzCase> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Supplier<List<FuzzCase>> g : generators()) {
            for (FuzzCase c : g.get()) {
                if (!names.add(c.group() + "/" + c.name())) {
                    throw new IllegalStateException("two cases named " + c.group() + "/" + c.name());
                }
                out.add(c);
            }
        }
        return out;
    }

    public static Result run(FuzzCase c, Path dir) {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + c.name());
            t.setDaemon(true);
            return t;
        });
        try {
            FuzzCase.Invocation inv;
            try {
                inv = c.setup().prepare(dir);
            } catch (Exception e) {
                throw new IllegalStateException("setup of " + c.name() + " failed: " + e, e);
            }
            Map<Path, Long> before = hashes(inv.inputs());
            Future<FuzzCase.Outcome> f = ex.submit(() -> inv.action().run(dir));
            FuzzCase.Outcome o;
            try {
                o = f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                return new Result(c, Verdict.CRASHED, "no answer after " + TIMEOUT_SECONDS + " s (hangs)");
            } catch (java.util.concurrent.ExecutionException e) {
                return new Result(c, Verdict.CRASHED, "the case's action threw " + e.getCause());
            }
            return classify(c, inv, o, before, dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(c, Verdict.CRASHED, "interrupted");
        } finally {
            ex.shutdownNow();
        }
    }

    static Result classify(FuzzCase c, FuzzCase.Invocation inv, FuzzCase.Outcome o, Map<Path, Long> before, Path dir) {
        if (o.thrown() != null) {
            return new Result(c, Verdict.CRASHED, "threw " + o.thrown());
        }
        if (o.timedOut()) {
            return new Result(c, Verdict.CRASHED, "timed out");
        }
        if (o.code() == 1 || o.code() < 0 || o.code() > 2 || o.err().contains("\tat ") || o.err().contains("Exception in thread")
                || o.err().contains("hs_err")) {
            return new Result(c, Verdict.CRASHED, "exit " + o.code() + ": " + firstLines(o.err()));
        }
        Map<Path, Long> after = hashes(inv.inputs());
        if (!after.equals(before)) {
            return new Result(c, Verdict.WRONG, "an input changed: " + changed(before, after));
        }
        FuzzCase.Kind want = c.expect().kind();
        if (o.code() == 2) {
            List<String> lines = o.err().lines().filter(l -> l.startsWith("ij-diffusion")).toList();
            if (want == FuzzCase.Kind.ACCEPT) {
                return new Result(c, Verdict.WRONG, "refused what must run: " + firstLines(o.err()));
            }
            if (lines.size() != 1) {
                return new Result(c, Verdict.WRONG, lines.size() + " error lines instead of one: " + firstLines(o.err()));
            }
            if (c.expect().message() != null && !c.expect().message().matcher(lines.get(0)).find()) {
                return new Result(c, Verdict.WRONG, "refused, but not for the expected reason /"
                        + c.expect().message() + "/: " + lines.get(0));
            }
            return new Result(c, Verdict.REFUSED_CLEANLY, lines.get(0));
        }
        if (want == FuzzCase.Kind.REFUSE) {
            return new Result(c, Verdict.WRONG, "accepted what must be refused" + (o.out().isEmpty() ? ""
                    : ": " + firstLines(o.out())));
        }
        try {
            String problem = inv.check() == null ? null : inv.check().problem(dir, o);
            if (problem != null) {
                return new Result(c, Verdict.WRONG, "accepted, but " + problem);
            }
        } catch (Exception e) {
            return new Result(c, Verdict.WRONG, "accepted, but its check failed: " + e);
        }
        return new Result(c, Verdict.ACCEPTED_CORRECTLY, firstLines(o.out()));
    }

    /** Counts by verdict, and the summary line the test prints. */
    public static String summary(List<Result> results) {
        Map<Verdict, Integer> n = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            n.put(v, 0);
        }
        results.forEach(r -> n.merge(r.verdict(), 1, Integer::sum));
        return "fuzz corpus: " + results.size() + " tried, " + n.get(Verdict.REFUSED_CLEANLY) + " refused cleanly, "
                + n.get(Verdict.ACCEPTED_CORRECTLY) + " accepted correctly, " + n.get(Verdict.WRONG) + " wrong, "
                + n.get(Verdict.CRASHED) + " crashed";
    }

    private static String firstLines(String s) {
        String t = s.strip().replace('\n', '|');
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    static Map<Path, Long> hashes(List<Path> files) {
        Map<Path, Long> m = new HashMap<>();
        for (Path p : files) {
            m.put(p, hash(p));
        }
        return m;
    }

    private static long hash(Path p) {
        if (!Files.isRegularFile(p)) {
            return Files.exists(p) ? -2 : -1;
        }
        CRC32 crc = new CRC32();
        try (var in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0;) {
                crc.update(buf, 0, r);
            }
        } catch (java.io.IOException e) {
            return -3;
        }
        return crc.getValue();
    }

    private static String changed(Map<Path, Long> before, Map<Path, Long> after) {
        List<String> out = new ArrayList<>();
        before.forEach((p, h) -> {
            if (!h.equals(after.get(p))) {
                out.add(p.getFileName().toString());
            }
        });
        return String.join(", ", out);
    }
}
