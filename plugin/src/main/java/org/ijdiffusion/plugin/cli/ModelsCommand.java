package org.ijdiffusion.plugin.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ijdiffusion.diffusion.hub.Catalogue;
import org.ijdiffusion.diffusion.hub.DownloadException;
import org.ijdiffusion.diffusion.hub.DownloadListener;
import org.ijdiffusion.diffusion.hub.DownloadSettings;
import org.ijdiffusion.diffusion.hub.Downloader;
import org.ijdiffusion.diffusion.hub.Folder;
import org.ijdiffusion.diffusion.hub.Licenses;
import org.ijdiffusion.diffusion.hub.ModelEntry;
import org.ijdiffusion.diffusion.hub.ModelManager;
import org.ijdiffusion.diffusion.hub.ModelsRoot;
import org.ijdiffusion.diffusion.hub.Progress;

/**
 * {@code ij-diffusion models list | get NAME... | verify [NAME...] | where}: the command-line face of
 * the model manager ({@code org.ijdiffusion.diffusion.hub}).
 */
public final class ModelsCommand implements Command {
    private static final Set<String> VALUED = Set.of("catalogue", "models-dir", "layout", "base-url", "stall-timeout",
            "retries");
    private static final Set<String> SWITCHES = Set.of("accept-license");
    /** Where files go when neither --models-dir nor $IJDIFFUSION_MODELS is given. */
    static final Path DEFAULT_DIR = ModelsRoot.defaultDir();

    /** Reads the user's answer to a licence question; null when there is no terminal to ask on. */
    private final BufferedReader answers;

    public ModelsCommand() {
        this(null);
    }

    ModelsCommand(BufferedReader answers) {
        this.answers = answers;
    }

    @Override
    public String name() {
        return "models";
    }

    @Override
    public String summary() {
        return "list, download (resumable, SHA-256 checked) and verify models from the catalogue";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "Usage: ij-diffusion models list | get NAME... | verify [NAME...] | where",
                "    [--models-dir DIR] [--layout a1111|comfyui] [--catalogue FILE|URL]",
                "    get: [--accept-license] [--base-url URL] [--stall-timeout SECONDS] [--retries N]",
                "  list     the catalogue, with what is installed in the models folder",
                "  get      downloads into DIR/<folder>/ (checkpoints, controlnet, loras, ... or A1111's",
                "           Stable-diffusion, ControlNet, Lora ...): FILE.part resumed after a cut or Ctrl+C,",
                "           SHA-256 checked before the file is put in place; only .safetensors and .onnx",
                "  verify   re-hashes installed files (all, or those named) and names the ones that differ",
                "  where    the models folder, its layout and sub-folders",
                "  --models-dir   default $" + ModelsRoot.ENV + ", else " + DEFAULT_DIR,
                "  --layout       default: a1111 when the folder has A1111's sub-folders, else comfyui",
                "  --catalogue    replaces the built-in catalogue (a private mirror, tests)",
                "  --accept-license  accepts each entry's licence without asking (scripts, CI); otherwise it is",
                "                 shown and asked for once per licence on a terminal",
                "  --base-url     a private mirror: replaces scheme and host of every URL (or $"
                        + DownloadSettings.BASE_URL_ENV + ")",
                "  --stall-timeout  seconds without a byte before a try is given up (default 60)",
                "  --retries      tries again after a failure that may pass (cut, stall, 5xx), per mirror (default 4)",
                "  A token for gated mirrors is read from $" + String.join(" or $", DownloadSettings.TOKEN_ENV)
                        + " (sent to huggingface.co and the --base-url host only); Java's proxy settings "
                        + "(-Dhttps.proxyHost=...) are used.");
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        if (argv.isEmpty()) {
            throw new UsageException("models needs list, get, verify or where. Try: ij-diffusion models --help");
        }
        String sub = argv.get(0);
        List<String> names = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.startsWith("--")) {
                options.add(a);
                String n = a.substring(2);
                if (VALUED.contains(n) && i + 1 < argv.size()) {
                    options.add(argv.get(++i));
                }
            } else {
                names.add(a);
            }
        }
        Args args = Args.parse("models", options, VALUED, SWITCHES);
        ModelManager manager = manager(args);
        switch (sub) {
            case "list" -> {
                noNames(sub, names);
                list(manager, out);
            }
            case "where" -> {
                noNames(sub, names);
                where(manager, args, out);
            }
            case "get" -> {
                if (names.isEmpty()) {
                    throw new UsageException("models get needs one or more names: " + known(manager));
                }
                get(manager, names, args.has("accept-license"), out, err);
            }
            case "verify" -> verify(manager, names, out);
            default -> throw new UsageException("unknown models command '" + sub + "'; valid: list, get, verify, where");
        }
        return Main.OK;
    }

    private static void noNames(String sub, List<String> names) {
        if (!names.isEmpty()) {
            throw new UsageException("models " + sub + " takes no names (got " + String.join(" ", names) + ")");
        }
    }

    private static String known(ModelManager m) {
        return String.join(", ", m.catalogue().entries().stream().map(ModelEntry::name).toList());
    }

    static Path modelsDir(Args args) {
        if (args.get("models-dir") != null) {
            return Path.of(args.get("models-dir")).toAbsolutePath();
        }
        String env = System.getenv(ModelsRoot.ENV);
        return env != null && !env.isBlank() ? Path.of(env).toAbsolutePath() : DEFAULT_DIR;
    }

    private static ModelManager manager(Args args) throws IOException {
        DownloadSettings s = DownloadSettings.defaults();
        if (args.get("base-url") != null) {
            s = s.withBaseUrl(args.get("base-url"));
        }
        if (args.get("stall-timeout") != null) {
            double secs = Args.parseDouble("stall-timeout", args.get("stall-timeout"));
            if (secs <= 0) {
                throw new UsageException("--stall-timeout must be more than 0 seconds");
            }
            s = s.withStallTimeout(Duration.ofMillis((long) Math.ceil(secs * 1000)));
        }
        if (args.get("retries") != null) {
            int n = args.integer("retries", 0, 0);
            s = s.withRetries(n + 1, s.backoff(), s.maxBackoff());
        }
        Catalogue c = args.get("catalogue") == null ? Catalogue.builtIn() : Catalogue.load(args.get("catalogue"), s);
        Folder.Layout layout = args.get("layout") == null ? null : Folder.Layout.parse(args.get("layout"));
        return new ModelManager(c, ModelsRoot.of(modelsDir(args), layout), s);
    }

    private static void list(ModelManager m, PrintStream out) throws IOException {
        out.printf(Locale.ROOT, "%-24s %-19s %10s  %-15s %s%n", "NAME", "KIND", "SIZE", "STATUS", "FILE");
        for (ModelManager.Status s : m.statuses()) {
            ModelEntry e = s.entry();
            out.printf(Locale.ROOT, "%-24s %-19s %10s  %-15s %s/%s%n", e.name(), e.kind().key(), Progress.bytes(e.size()),
                    s.describe(), e.folder().name(m.root().layout()), e.file());
        }
        out.println("models folder: " + m.root().dir() + " (" + m.root().layout().name().toLowerCase(Locale.ROOT)
                + " layout); catalogue: " + m.catalogue().source());
    }

    private static void where(ModelManager m, Args args, PrintStream out) {
        ModelsRoot r = m.root();
        String from = args.get("models-dir") != null ? "--models-dir"
                : System.getenv(ModelsRoot.ENV) != null && !System.getenv(ModelsRoot.ENV).isBlank() ? "$" + ModelsRoot.ENV
                : "the default (set --models-dir or $" + ModelsRoot.ENV + ")";
        out.println("models folder: " + r.dir() + "  (from " + from + ")");
        out.println("layout: " + r.layout().name().toLowerCase(Locale.ROOT) + " (" + r.why() + ")");
        for (Folder f : Folder.values()) {
            out.printf(Locale.ROOT, "  %-14s %s%n", f.key(), r.folder(f));
        }
        out.println("catalogue: " + m.catalogue().source() + " (" + m.catalogue().entries().size() + " models)");
    }

    private void get(ModelManager m, List<String> names, boolean acceptAll, PrintStream out, PrintStream err)
            throws IOException {
        List<ModelEntry> entries = m.entries(names);
        Console console = System.console();
        boolean terminal = console != null && answers == null;
        Licenses.Gate gate = (l, text, under) -> {
            String what = String.join(", ", under.stream().map(ModelEntry::name).toList());
            if (acceptAll) {
                out.println("licence: " + l.name() + " (" + l.url() + ") for " + what + ": accepted by --accept-license");
                return true;
            }
            BufferedReader in = answers;
            if (in == null && console == null) {
                throw new DownloadException("the licence '" + l.name() + "' of " + what + " must be accepted first: read "
                        + l.url() + ", then run again with --accept-license");
            }
            out.println("---- licence of " + what + ": " + l.name());
            out.println(text != null ? text.strip() : "Read it at " + l.url());
            out.println("----");
            out.print("Do you accept the licence '" + l.name() + "' (" + l.url() + ")? Type yes to accept: ");
            out.flush();
            String answer = in != null ? in.readLine() : console.readLine();
            return answer != null && answer.strip().equalsIgnoreCase("yes");
        };
        ProgressPrinter printer = new ProgressPrinter(out, terminal);
        Thread hook = new Thread(() -> err.println(System.lineSeparator() + "ij-diffusion models: interrupted; "
                + "the .part file is kept: run the same command again to resume"));
        Runtime.getRuntime().addShutdownHook(hook);
        List<Downloader.Result> results;
        try {
            results = m.get(entries, gate, printer);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs
            }
            printer.endLine();
        }
        for (Downloader.Result r : results) {
            String how = switch (r.outcome()) {
                case DOWNLOADED -> "downloaded" + (r.resumedFrom() > 0 ? " (resumed at " + Progress.bytes(r.resumedFrom()) + ")" : "");
                case ALREADY_PRESENT -> "already installed";
                case DOWNLOADED_ELSEWHERE -> "installed by another download";
            };
            out.println(how + ": " + r.file());
        }
    }

    private static void verify(ModelManager m, List<String> names, PrintStream out) throws IOException {
        List<ModelManager.Verified> v = m.verify(m.entries(names), DownloadListener.NONE);
        if (v.isEmpty()) {
            out.println("nothing installed in " + m.root().dir() + " to verify");
            return;
        }
        List<String> bad = new ArrayList<>();
        for (ModelManager.Verified x : v) {
            String state = !x.present() ? "MISSING" : x.ok() ? "ok" : "DIFFERS";
            out.printf(Locale.ROOT, "%-8s %-24s %s%n", state, x.entry().name(), x.file());
            if (!x.ok()) {
                bad.add(x.entry().name() + (x.present() ? " (" + x.file() + " has SHA-256 " + x.sha256() + ", the catalogue says "
                        + x.entry().sha256() + ")" : " (" + x.file() + " is missing)"));
            }
        }
        if (!bad.isEmpty()) {
            throw new DownloadException(bad.size() + " of " + v.size() + " file(s) do not match the catalogue: "
                    + String.join("; ", bad));
        }
    }

    /** Progress on one rewritten line on a terminal; otherwise a plain line every 10%. */
    static final class ProgressPrinter implements DownloadListener {
        private final PrintStream out;
        private final boolean terminal;
        private boolean open;
        private int lastTenth = -1;
        private String lastFile;

        ProgressPrinter(PrintStream out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        @Override
        public void status(String line) {
            endLine();
            out.println(line);
        }

        @Override
        public void progress(ModelEntry e, long done, long total, double rate) {
            String line = e.file() + "  " + Progress.line(done, total, rate);
            if (terminal) {
                out.print("\r" + line + "   ");
                out.flush();
                open = true;
                return;
            }
            int tenth = (int) (done * 10 / Math.max(1, total));
            if (!e.file().equals(lastFile)) {
                lastFile = e.file();
                lastTenth = -1;
            }
            if (tenth != lastTenth) {
                lastTenth = tenth;
                out.println(line);
            }
        }

        void endLine() {
            if (open) {
                out.println();
                open = false;
            }
        }
    }
}
