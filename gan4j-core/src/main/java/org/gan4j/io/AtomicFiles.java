package org.gan4j.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Writes files atomically: readers (and a crash) see the old content or the new one, never a torn file.
 *
 * <p>Recipe: write to a temp file in the target's directory, flush, fsync it ({@link FileChannel#force}), rename it
 * over the target ({@link StandardCopyOption#ATOMIC_MOVE}, falling back to {@link StandardCopyOption#REPLACE_EXISTING}
 * where the file system cannot move atomically), then fsync the directory so the rename itself is durable (best
 * effort: some file systems refuse to open a directory). If anything fails the temp file is removed and the old
 * target is left untouched. Missing parent directories are created. Temp files are named
 * {@code .<target name>.tmp-<random hex>}.
 */
public final class AtomicFiles {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.tmp-[0-9a-f]{16}");

    private AtomicFiles() {}

    /**
     * Creates a folder and its missing parents, like {@link Files#createDirectories}, but when the path or one of its
     * parents is a file, fails with a {@link java.nio.file.NotDirectoryException} naming that file (Java's own
     * {@code FileAlreadyExistsException} reads "File exists", which suggests the target itself is in the way).
     *
     * @param directory the folder to create
     * @throws IOException if it cannot be created
     */
    public static void createDirectories(Path directory) throws IOException {
        for (Path ancestor = directory.toAbsolutePath().normalize(); ancestor != null; ancestor = ancestor.getParent()) {
            if (Files.exists(ancestor) && !Files.isDirectory(ancestor)) {
                throw new java.nio.file.NotDirectoryException(ancestor.toString());
            }
        }
        Files.createDirectories(directory);
    }

    /**
     * Writes a file atomically with content produced by a writer.
     *
     * @param target the file to create or replace
     * @param writer produces the content; it must not close the stream (closing is ignored if it does)
     * @throws IOException if writing, syncing or renaming fails (the target is then unchanged)
     */
    public static void write(Path target, IoWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        createDirectories(directory);
        Path temp = directory.resolve("." + absolute.getFileName() + ".tmp-" + randomHex());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(new CloseShield(Channels.newOutputStream(channel)), 1 << 16);
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            move(temp, absolute);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncDirectory(directory);
    }

    /**
     * Writes a string as UTF-8 atomically.
     *
     * @param target the file to create or replace
     * @param content the text
     * @throws IOException if writing fails (the target is then unchanged)
     */
    public static void writeString(Path target, String content) throws IOException {
        writeBytes(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes bytes atomically.
     *
     * @param target the file to create or replace
     * @param content the bytes
     * @throws IOException if writing fails (the target is then unchanged)
     */
    public static void writeBytes(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    /**
     * Renames a file or directory atomically where possible, replacing an existing file target.
     *
     * @param source the entry to move
     * @param target its new name (an existing directory target must be empty)
     * @throws IOException if the rename fails
     */
    static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Fsyncs a directory so that renames and deletions inside it are durable; failures are ignored.
     *
     * @param directory the directory
     */
    public static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            // Best effort: not every file system or OS lets a directory be opened and synced.
        }
    }

    /**
     * Returns eight random bytes as sixteen hex digits, for temp names.
     *
     * @return the hex text
     */
    /**
     * Whether a file name is one of this class's temp files ({@code .<target name>.tmp-<random hex>}): what an
     * interrupted write leaves behind.
     *
     * @param fileName a file name
     * @return true for a temp file name
     */
    public static boolean isTempName(String fileName) {
        return TEMP_NAME.matcher(fileName).matches();
    }

    /**
     * Removes the temp files interrupted writes left in a folder (not in its subfolders). Call it only where no
     * other process writes at the same time.
     *
     * @param directory the folder; nothing happens if it does not exist
     */
    public static void removeTempFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var entries = Files.list(directory)) {
            for (Path leftover : entries.filter(p -> isTempName(p.getFileName().toString())).toList()) {
                Files.deleteIfExists(leftover);
            }
        } catch (IOException e) {
            // best effort: a leftover temp file is harmless
        }
    }

    static String randomHex() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Ignores close() so a writer that closes its stream cannot prevent the flush and fsync that follow. */
    private static final class CloseShield extends FilterOutputStream {

        CloseShield(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
