package org.ijdiffusion.plugin.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What the CLI prints, with control characters escaped: text from files (safetensors metadata, PNG
 * parameters, file names) can hold terminal escape codes, which are shown as {@code \u001b} instead of
 * acting on the terminal. Newlines and tabs stay; other C0 controls, DEL, C1 controls and the
 * bidirectional overrides are escaped (as JSON escapes, so JSON output stays valid and equal).
 */
final class EscapingPrintStream extends PrintStream {
    private final PrintStream target;

    EscapingPrintStream(PrintStream target) {
        super(target, true); // numbers and line ends go straight through; text goes through escape()
        this.target = target;
    }

    /** {@code s} with every control character (but newline and tab) as a backslash-u escape. */
    static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c < 0xa0
                    || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
            if (control && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (control) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    @Override
    public void print(String s) {
        target.print(escape(s));
    }

    @Override
    public void print(Object o) {
        print(String.valueOf(o));
    }

    @Override
    public void print(char c) {
        print(String.valueOf(c));
    }

    @Override
    public void print(char[] s) {
        print(new String(s));
    }

    @Override
    public void println() {
        target.println();
    }

    @Override
    public void println(String s) {
        target.println(escape(s));
    }

    @Override
    public void println(Object o) {
        println(String.valueOf(o));
    }

    @Override
    public void println(char c) {
        println(String.valueOf(c));
    }

    @Override
    public void println(char[] s) {
        println(new String(s));
    }

    @Override
    public PrintStream append(CharSequence csq) {
        print(String.valueOf(csq));
        return this;
    }

    @Override
    public PrintStream append(CharSequence csq, int start, int end) {
        print(String.valueOf(csq == null ? "null" : csq.subSequence(start, end)));
        return this;
    }

    @Override
    public PrintStream append(char c) {
        print(c);
        return this;
    }

    @Override
    public PrintStream format(String format, Object... args) {
        print(String.format(format, args));
        return this;
    }

    @Override
    public PrintStream format(Locale l, String format, Object... args) {
        print(String.format(l, format, args));
        return this;
    }

    @Override
    public void flush() {
        super.flush();
        target.flush();
    }
}
