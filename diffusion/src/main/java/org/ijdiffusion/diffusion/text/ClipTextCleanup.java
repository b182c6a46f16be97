package org.ijdiffusion.diffusion.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The text cleanup the reference CLIP tokenizer applies when {@code ftfy} is not installed (a BERT-style
 * basic cleanup, no punctuation split, no accent stripping): control and format characters and
 * U+0000/U+FFFD dropped; every whitespace character becomes a space; a space on both sides of each CJK
 * ideograph; NFC; words separated by single spaces; lower case. No ftfy repair, no HTML unescaping.
 */
final class ClipTextCleanup {
    private ClipTextCleanup() {
    }

    static String clean(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isWhitespace(cp)) {
                sb.append(' ');
            } else if (isCjkIdeograph(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        String nfc = Normalizer.normalize(sb, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(nfc.length());
        for (String word : nfc.split("[ \\u2028\\u2029]+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(word.toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    private static boolean isWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** Unicode category C* (control, format, unassigned, private use, surrogate), except tab/newline/CR. */
    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.UNASSIGNED
                || t == Character.PRIVATE_USE || t == Character.SURROGATE;
    }

    /** The CJK Unified Ideograph blocks (and compatibility ideographs); not kana or hangul. */
    private static boolean isCjkIdeograph(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
