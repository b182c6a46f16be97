package org.ijdiffusion.diffusion.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Downloads one catalogue file into a folder: into {@code FILE.part}, resumed with {@code Range} when a
 * part is there (a server that answers 200 instead of 206, or 416, restarts cleanly), redirects
 * followed, transient failures retried with backoff, a stall timeout, SHA-256 computed while the bytes
 * stream and checked before the atomic rename to {@code FILE} (a mismatch deletes the part), free space
 * checked first, one download per file at a time across processes, and a cancel that keeps the part.
 */
public final class Downloader {
    private static final int CHUNK = 1 << 16;
    /** Kept free beyond the file itself. */
    static final long SPACE_MARGIN = 16L << 20;
    private static final long PROGRESS_EVERY_NS = 200_000_000L;
    private static final long LOCK_POLL_MS = 200;

    private final DownloadSettings settings;
    private final Http http;

    public Downloader(DownloadSettings settings) {
        this.settings = settings;
        this.http = new Http(settings);
    }

    /** What happened. */
    public enum Outcome {
        /** The file was downloaded now (perhaps resumed from a part). */
        DOWNLOADED,
        /** It was there already with the right SHA-256. */
        ALREADY_PRESENT,
        /** Another process or thread downloaded it while this one waited for the lock. */
        DOWNLOADED_ELSEWHERE
    }

    public record Result(Outcome outcome, Path file, long bytesTransferred, long resumedFrom) {
    }

    /** Raised when the listener cancels; the part file is kept. */
    public static final class CancelledException extends DownloadException {
        private static final long serialVersionUID = 1L;

        CancelledException(String message) {
            super(message);
        }
    }

    public static Path partFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * Makes {@code dir/entry.file()} exist with the catalogue's size and SHA-256. A file already there
     * with other contents is never overwritten (that is an error naming it).
     */
    public Result download(ModelEntry entry, Path dir, DownloadListener listener) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(entry.file());
        boolean waited = false;
        DownloadLock lock;
        while ((lock = DownloadLock.tryAcquire(target)) == null) {
            if (!waited) {
                listener.status(entry.file() + ": another download of it is running (lock "
                        + DownloadLock.lockFile(target).getFileName() + "); waiting for it to finish");
                waited = true;
            }
            if (listener.cancelled()) {
                throw new CancelledException(entry.file() + ": cancelled while waiting for the other download");
            }
            sleep(Duration.ofMillis(LOCK_POLL_MS));
        }
        try (DownloadLock held = lock) {
            if (Files.exists(target)) {
                if (Files.size(target) != entry.size() || !Sha256.of(target).equals(entry.sha256())) {
                    throw new DownloadException(target + " exists but is not the catalogue's " + entry.name()
                            + " (size or SHA-256 differ); it was left as it is: move or delete it, then run again");
                }
                return new Result(waited ? Outcome.DOWNLOADED_ELSEWHERE : Outcome.ALREADY_PRESENT, target, 0, 0);
            }
            return fetch(entry, target, listener);
        }
    }

    private Result fetch(ModelEntry entry, Path target, DownloadListener listener) throws IOException {
        Path part = partFile(target);
        Transfer t = new Transfer(entry, part, listener);
        t.adoptPart();
        checkSpace(entry, target.getParent(), t.have);
        long resumedFrom = t.have;
        List<String> failures = new ArrayList<>();
        for (String url : settings.urls(entry)) {
            String failure = t.fromMirror(url);
            if (failure == null) {
                t.finish(target);
                return new Result(Outcome.DOWNLOADED, target, t.transferred, resumedFrom);
            }
            failures.add(Http.hostOf(url) + ": " + failure);
        }
        String kept = Files.exists(part) ? "; the partial file " + part.getFileName() + " (" + Progress.bytes(Files.size(part))
                + ") is kept: run the same command again to resume" : "";
        throw new DownloadException("could not download " + entry.file() + " (" + String.join("; ", failures) + ")" + kept);
    }

    private void checkSpace(ModelEntry entry, Path dir, long have) throws IOException {
        long need = entry.size() - have;
        long free = settings.storage().usableSpace(dir);
        if (free < need + SPACE_MARGIN) {
            throw new DownloadException("not enough free space in " + dir + ": " + entry.file() + " needs "
                    + Progress.bytes(need) + " more, " + Progress.bytes(Math.max(0, free)) + " is free");
        }
    }

    /** The bytes of one file in flight: the part on disk, its running hash, and the attempts. */
    private final class Transfer {
        final ModelEntry entry;
        final Path part;
        final DownloadListener listener;
        MessageDigest digest = Sha256.digest();
        long have;
        /** Bytes taken over from an earlier run's part (they may be from an older version of the file). */
        boolean adopted;
        long transferred;
        long sessionStart = System.nanoTime();
        long lastReport;

        Transfer(ModelEntry entry, Path part, DownloadListener listener) {
            this.entry = entry;
            this.part = part;
            this.listener = listener;
        }

        /** Takes over a part left by an earlier run: its bytes are hashed, not downloaded again. */
        void adoptPart() throws IOException {
            if (!Files.exists(part)) {
                return;
            }
            long n = Files.size(part);
            if (n > entry.size()) {
                listener.status(part.getFileName() + " is larger than the file (" + n + " > " + entry.size() + "): starting over");
                Files.delete(part);
                return;
            }
            try (InputStream in = Files.newInputStream(part)) {
                byte[] buf = new byte[1 << 20];
                for (int r; (r = in.read(buf)) > 0; ) {
                    digest.update(buf, 0, r);
                }
            }
            have = n;
            adopted = n > 0;
            if (n > 0) {
                listener.status(entry.file() + ": resuming at " + Progress.bytes(n) + " of " + Progress.bytes(entry.size()));
            }
        }

        void restart(String why) throws IOException {
            listener.status(entry.file() + ": " + why + "; starting over from byte 0");
            Files.deleteIfExists(part);
            digest = Sha256.digest();
            have = 0;
        }

        /** Null when the whole file is in the part with the right hash, else why this mirror failed. */
        String fromMirror(String url) throws IOException {
            int failedAttempts = 0;
            boolean restarted = false;
            String last = null;
            Step step = null;
            while (true) {
                long before = have;
                if (listener.cancelled()) {
                    throw cancelled();
                }
                if (have == entry.size() || (step = attempt(url)).kind() == Step.Kind.DONE) {
                    String bad = verifyPart(url);
                    if (bad != null && adopted) {
                        // the earlier part may have been another version of the file: once more from byte 0
                        adopted = false;
                        listener.status(entry.file() + ": the SHA-256 did not match after resuming an earlier part; "
                                + "downloading it again from byte 0");
                        continue;
                    }
                    return bad;
                }
                if (step.kind() == Step.Kind.RESTART) {
                    if (restarted) {
                        return step.message();
                    }
                    restarted = true;
                    restart(step.message());
                    continue;
                }
                if (step.kind() == Step.Kind.GIVE_UP) {
                    return step.message();
                }
                last = step.message();
                failedAttempts = have > before ? 1 : failedAttempts + 1; // progress resets the count
                if (failedAttempts >= settings.attempts()) {
                    return last + (settings.attempts() > 1 ? " (" + settings.attempts() + " attempts)" : "");
                }
                Duration wait = settings.backoff(failedAttempts);
                if (step.retryAfter() != null) {
                    wait = step.retryAfter().compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : step.retryAfter();
                }
                listener.status(entry.file() + ": " + last + "; retrying in " + Progress.seconds(wait)
                        + (have > 0 ? " (resuming at " + Progress.bytes(have) + ")" : ""));
                sleep(wait);
            }
        }

        private String verifyPart(String url) throws IOException {
            String got = Sha256.hex(digest.digest());
            digest = Sha256.digest();
            if (!got.equals(entry.sha256())) {
                Files.deleteIfExists(part);
                have = 0;
                return "SHA-256 mismatch: the downloaded " + entry.file() + " has " + got + ", the catalogue says "
                        + entry.sha256() + "; the downloaded file was deleted";
            }
            return null;
        }

        void finish(Path target) throws IOException {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target);
            }
            listener.status(entry.file() + ": SHA-256 verified, installed in " + target.getParent());
        }

        private Step attempt(String url) throws IOException {
            Http.Opened o;
            try {
                o = http.open(url, have);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw cancelled();
            } catch (InterruptedIOException e) {
                if (listener.cancelled()) {
                    throw cancelled();
                }
                return Step.retry("interrupted: " + e.getMessage());
            } catch (IOException e) {
                String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (m.startsWith("refused") || m.startsWith("more than")) {
                    return Step.giveUp(m);
                }
                return Step.retry(m);
            }
            try (InputStream body = o.response().body()) {
                int s = o.status();
                if (s == 416) {
                    return Step.restart("the server refused the range (HTTP 416)");
                }
                if (s == 200 && have > 0) {
                    // the whole file again: take it from this answer, from byte 0
                    restart("the server ignored the range request (HTTP 200 instead of 206)");
                }
                if (s == 206) {
                    String problem = checkContentRange(o.header("content-range"));
                    if (problem != null) {
                        return Step.restart(problem);
                    }
                } else if (s != 200) {
                    return statusFailure(s, o.header("retry-after"));
                } else {
                    long len = o.contentLength();
                    if (len >= 0 && len != entry.size()) {
                        return Step.giveUp("the server offers " + len + " bytes, the catalogue says " + entry.size());
                    }
                }
                return stream(body);
            }
        }

        private Step statusFailure(int s, String retryAfter) {
            if (s == 401 || s == 403) {
                return Step.giveUp("access denied (HTTP " + s + ")" + (settings.token() == null
                        ? "; a gated mirror needs a token in " + String.join(" or ", DownloadSettings.TOKEN_ENV) : ""));
            }
            if (s == 404 || s == 410) {
                return Step.giveUp("not found (HTTP " + s + ")");
            }
            if (s == 408 || s == 429 || s >= 500) {
                Duration wait = null;
                if (retryAfter != null && retryAfter.strip().matches("\\d{1,6}")) {
                    wait = Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
                }
                return Step.retryAfter("HTTP " + s, wait);
            }
            return Step.giveUp("unexpected HTTP " + s);
        }

        private String checkContentRange(String cr) {
            // bytes START-END/TOTAL
            if (cr == null || !cr.startsWith("bytes ")) {
                return "a partial answer without a usable Content-Range (" + cr + ")";
            }
            try {
                String[] a = cr.substring(6).split("[-/]");
                long start = Long.parseLong(a[0].strip());
                if (start != have) {
                    return "the server resumed at byte " + start + " instead of " + have;
                }
                if (a.length > 2 && !a[2].strip().equals("*") && Long.parseLong(a[2].strip()) != entry.size()) {
                    return "the server's file has " + a[2].strip() + " bytes, the catalogue says " + entry.size();
                }
                return null;
            } catch (RuntimeException e) {
                return "an unreadable Content-Range (" + cr + ")";
            }
        }

        /** Copies the body to the part, hashing as it goes, under the stall watchdog. */
        private Step stream(InputStream body) throws IOException {
            StallWatchdog dog = new StallWatchdog(Thread.currentThread(), body, settings.stallTimeout(), listener);
            byte[] buf = new byte[CHUNK];
            try (OutputStream out = settings.storage().open(part, have > 0)) {
                while (have < entry.size()) {
                    int r;
                    try {
                        r = body.read(buf, 0, (int) Math.min(buf.length, entry.size() - have + 1));
                    } catch (IOException e) {
                        dog.stop();
                        if (listener.cancelled()) {
                            throw cancelled();
                        }
                        if (dog.fired) {
                            return Step.retry("no data for " + Progress.seconds(settings.stallTimeout()) + " (stalled)");
                        }
                        return Step.retry("connection lost (" + e.getMessage() + ")");
                    }
                    if (r < 0) {
                        dog.stop();
                        if (listener.cancelled()) {
                            throw cancelled();
                        }
                        if (dog.fired) {
                            return Step.retry("no data for " + Progress.seconds(settings.stallTimeout()) + " (stalled)");
                        }
                        return Step.retry("the connection closed after " + Progress.bytes(have) + " of "
                                + Progress.bytes(entry.size()));
                    }
                    if (have + r > entry.size()) {
                        dog.stop();
                        Files.deleteIfExists(part);
                        have = 0;
                        digest = Sha256.digest();
                        return Step.giveUp("the server sent more than the catalogue's " + entry.size() + " bytes");
                    }
                    try {
                        out.write(buf, 0, r);
                    } catch (IOException e) {
                        dog.stop();
                        throw new DownloadException("could not write " + part + " (" + e.getMessage() + "; disk full?) after "
                                + Progress.bytes(have) + " of " + Progress.bytes(entry.size())
                                + "; the partial file is kept: free some space and run the same command again to resume");
                    }
                    digest.update(buf, 0, r);
                    have += r;
                    transferred += r;
                    dog.fed();
                    report(false);
                    if (listener.cancelled()) {
                        dog.stop();
                        throw cancelled();
                    }
                }
                // the whole length: no read past it (a server may keep the connection open)
            } finally {
                dog.stop();
                Thread.interrupted(); // a watchdog interrupt that raced the end is not for later calls
            }
            report(true);
            return Step.DONE_STEP;
        }

        void report(boolean force) {
            long now = System.nanoTime();
            if (!force && now - lastReport < PROGRESS_EVERY_NS) {
                return;
            }
            lastReport = now;
            double secs = Math.max(1e-3, (now - sessionStart) / 1e9);
            listener.progress(entry, have, entry.size(), transferred / secs);
        }

        CancelledException cancelled() {
            return new CancelledException(entry.file() + ": cancelled" + (have > 0 ? "; " + part.getFileName() + " ("
                    + Progress.bytes(have) + ") is kept: run again to resume" : ""));
        }
    }

    static void sleep(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }
}
