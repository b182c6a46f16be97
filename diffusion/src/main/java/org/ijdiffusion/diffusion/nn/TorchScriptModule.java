package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A parameterless TorchScript module compiled by libtorch from source held here, for the few fused
 * kernels libtorch has and DJL's op set does not reach ({@link FusedOps}). The archive
 * is built in memory in the layout {@code torch.jit.save} writes (a zip of {@code version},
 * {@code constants.pkl}, {@code data.pkl} and {@code code/__torch__.py}); libtorch compiles the
 * code when it loads the archive. No file is written and no Python is involved.
 */
final class TorchScriptModule implements AutoCloseable {
    static {
        // DJL's offline, no-tracking and cache settings, before its engine starts
        org.ijdiffusion.diffusion.util.DjlEnvironment.configure();
    }

    private final NDManager owner;
    private final PtSymbolBlock block;

    private TorchScriptModule(NDManager owner, PtSymbolBlock block) {
        this.owner = owner;
        this.block = block;
    }

    /**
     * Compiles {@code class <className>(Module)} whose methods are {@code methods} (TorchScript: each
     * {@code def} indented by two spaces, its body by four, the first parameter {@code self}).
     */
    static TorchScriptModule compile(String className, String methods) {
        String code = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + methods;
        NDManager manager = NDManager.newBaseManager("PyTorch");
        try {
            byte[] archive = archive(className, code);
            PtSymbolBlock block = JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive),
                    false, false);
            return new TorchScriptModule(manager, block);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Runs {@code method} on tensors; the tensor result is attached to {@code resultManager}. */
    NDArray run(String method, NDManager resultManager, NDArray... args) {
        return call(method, resultManager, (Object[]) args);
    }

    /**
     * Runs {@code method} on arguments that are tensors, whole numbers (TorchScript {@code int}) or
     * {@code Float}/{@code Double} (TorchScript {@code float}); the tensor result is attached to
     * {@code resultManager}.
     */
    NDArray call(String method, NDManager resultManager, Object... args) {
        IValue[] in = new IValue[args.length];
        IValue out = null;
        try {
            for (int i = 0; i < args.length; i++) {
                in[i] = value(args[i]);
            }
            out = IValueUtils.runMethod(block, method, in);
            return out.toTensor((PtNDManager) resultManager);
        } finally {
            for (IValue v : in) {
                if (v != null) {
                    v.close();
                }
            }
            if (out != null) {
                out.close();
            }
        }
    }

    /**
     * Runs the module's {@code forward} on tensors outside libtorch's inference mode (DJL's
     * {@link #run} uses it, which makes results that no later op may update in place); the result is
     * attached to {@code resultManager}.
     */
    NDArray forward(NDManager resultManager, NDArray... args) {
        NDList out = IValueUtils.forward(block, new NDList(args), true);
        NDArray r = out.singletonOrThrow();
        r.attach(resultManager);
        return r;
    }

    private static IValue value(Object a) {
        if (a instanceof PtNDArray t) {
            return IValue.from(t);
        }
        if (a instanceof Integer || a instanceof Long) {
            return IValue.from(((Number) a).longValue());
        }
        if (a instanceof Float || a instanceof Double) {
            return IValue.from(((Number) a).doubleValue());
        }
        throw new IllegalArgumentException("A TorchScript argument must be a tensor or a number, not " + a);
    }

    @Override
    public void close() {
        block.close();
        owner.close();
    }

    /** The zip archive {@code torch.jit.load} reads: stored entries under one top-level folder. */
    private static byte[] archive(String className, String code) throws IOException {
        String dir = "module/";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, dir + "version", ascii("3\n"));
            put(zip, dir + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            put(zip, dir + "data.pkl", moduleObjectPickle(className));
            put(zip, dir + "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /**
     * Pickle (protocol 2) of the module object: {@code __torch__.<className>} made with no arguments,
     * its state {@code {"training": False}}.
     */
    private static byte[] moduleObjectPickle(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO
        p.write(2);
        p.writeBytes(ascii("c__torch__\n" + className + "\n")); // GLOBAL
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        byte[] key = ascii("training");
        p.write('X'); // BINUNICODE, 4-byte little-endian length
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write(0x89); // NEWFALSE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
