package org.gan4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.gan4j.Gan4jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic, verifiable checkpoints in a run's {@code checkpoints/} folder.
 *
 * <pre>
 * checkpoints/
 *   step-000500/   generator.params  discriminator.params  ...  state.json  manifest.json
 *   step-001000/   ...
 *   latest         the text "step-001000" and a newline
 * </pre>
 *
 * <p>A checkpoint is assembled in a hidden {@code .tmp-step-000500-<random>/} folder: every file is written and
 * fsynced, then {@code state.json} (the caller's state plus {@code "step"}), then {@code manifest.json} listing every
 * file with its size and SHA-256; only then is the folder renamed to {@code step-000500}. A folder with a valid
 * name is therefore complete, and {@link #verify} detects later damage (missing, truncated or altered files).
 * After the rename, {@code latest} is rewritten atomically, checkpoints beyond the newest {@code keep} are deleted
 * (never the one just written) and leftover {@code .tmp-*} folders of crashed writes are removed.
 *
 * <p>"Newest" means highest step. On resume from step S, call {@link #deleteAfter(long)} with S so checkpoints of
 * the abandoned continuation cannot shadow the new ones. One writer per folder; not thread-safe.
 */
public final class CheckpointStore {

    /** The file listing every file of a checkpoint with its size and SHA-256. */
    public static final String MANIFEST = "manifest.json";

    /** The file holding the caller's state map plus {@code "step"}. */
    public static final String STATE = "state.json";

    /** The file in the checkpoints folder naming the newest checkpoint. */
    public static final String LATEST = "latest";

    private static final Logger LOGGER = LoggerFactory.getLogger(CheckpointStore.class);
    private static final String TEMP_PREFIX = ".tmp-";
    private static final int MANIFEST_FORMAT = 1;

    private final Path directory;
    private final int keep;

    /**
     * Creates a store over a checkpoints folder (created on the first write).
     *
     * @param checkpointsDir the folder, normally {@link RunDirectory#checkpoints()}
     * @param keep how many checkpoints to keep, at least 1
     * @throws Gan4jException if keep is below 1
     */
    public CheckpointStore(Path checkpointsDir, int keep) {
        if (keep < 1) {
            throw new Gan4jException("keepCheckpoints must be at least 1, got " + keep);
        }
        this.directory = checkpointsDir;
        this.keep = keep;
    }

    /**
     * Returns the checkpoints folder.
     *
     * @return the folder given to the constructor
     */
    public Path directory() {
        return directory;
    }

    /**
     * Writes a checkpoint atomically, points {@code latest} at it and prunes old ones.
     *
     * <p>If a checkpoint of the same step exists it is replaced by renaming it aside, renaming the new one into
     * place, then deleting the old one.
     *
     * @param step the training step, not negative
     * @param files file name to content writer, in the order to write them; names are letters, digits, '.', '_',
     *     '-' (not first), and not {@value #STATE} or {@value #MANIFEST}
     * @param state JSON-serializable state (counters, RNG state, config digest...); must not hold {@code "step"}
     * @return the written checkpoint
     * @throws Gan4jException if writing fails (no new step folder is left behind; older checkpoints are intact)
     * @throws IllegalArgumentException if a name is invalid or the state holds {@code "step"}
     */
    public Checkpoint write(long step, Map<String, IoWriter> files, Map<String, Object> state) {
        String name = Formats.stepName(step);
        for (String fileName : files.keySet()) {
            checkFileName(fileName);
            if (fileName.equals(STATE) || fileName.equals(MANIFEST)) {
                throw new IllegalArgumentException(fileName + " is reserved for the checkpoint store");
            }
        }
        if (state.containsKey("step")) {
            throw new IllegalArgumentException("the state map must not contain \"step\": the store adds it");
        }
        Path temp = directory.resolve(TEMP_PREFIX + name + "-" + AtomicFiles.randomHex());
        Path target = directory.resolve(name);
        try {
            Files.createDirectories(directory);
            Files.createDirectory(temp);
            ObjectNode manifest = Json.MAPPER.createObjectNode();
            manifest.put("format", MANIFEST_FORMAT);
            manifest.put("step", step);
            manifest.put("created", Instant.now().toString());
            ArrayNode listing = manifest.putArray("files");
            for (Map.Entry<String, IoWriter> entry : files.entrySet()) {
                listing.add(writeFile(temp.resolve(entry.getKey()), entry.getValue()));
            }
            ObjectNode stateNode = Json.MAPPER.createObjectNode();
            stateNode.put("step", step);
            stateNode.setAll((ObjectNode) Json.MAPPER.valueToTree(state));
            listing.add(writeFile(temp.resolve(STATE),
                    out -> Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, stateNode)));
            writeFile(temp.resolve(MANIFEST),
                    out -> Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, manifest));
            AtomicFiles.syncDirectory(temp);
            installAt(temp, target);
            AtomicFiles.syncDirectory(directory);
        } catch (IOException e) {
            deleteQuietly(temp, e);
            throw IoFailures.wrap("cannot write checkpoint " + target, e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(temp, e);
            throw e;
        }
        try {
            AtomicFiles.writeString(directory.resolve(LATEST), name + "\n");
        } catch (IOException e) {
            throw IoFailures.wrap("cannot write " + directory.resolve(LATEST), e);
        }
        Checkpoint written = new Checkpoint(step, target);
        prune(written);
        return written;
    }

    /**
     * Lists the checkpoint folders (named {@code step-NNNNNN}), newest (highest step) first, without verifying.
     *
     * @return the checkpoints; empty if the folder does not exist
     * @throws Gan4jException if the folder cannot be listed
     */
    public List<Checkpoint> list() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Checkpoint> result = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.forEach(path -> {
                OptionalLong step = Formats.parseStepName(path.getFileName().toString());
                if (step.isPresent() && Files.isDirectory(path)) {
                    result.add(new Checkpoint(step.getAsLong(), path));
                }
            });
        } catch (IOException e) {
            throw IoFailures.wrap("cannot list checkpoints in " + directory, e);
        }
        result.sort(Comparator.comparingLong(Checkpoint::step).reversed());
        return result;
    }

    /**
     * Returns the newest checkpoint that passes {@link #verify}, logging a WARN for each newer one skipped.
     *
     * @return the newest valid checkpoint, or empty if there is none
     */
    public Optional<Checkpoint> latestValid() {
        return latestValid(CheckpointStore::warnSkipped);
    }

    /**
     * Returns the newest checkpoint that passes {@link #verify}, handing the reason each newer one fails to
     * {@code skipped} instead of logging it.
     *
     * @param skipped receives why each skipped checkpoint is invalid ({@link #warnSkipped} logs one)
     * @return the newest valid checkpoint, or empty if there is none
     */
    public Optional<Checkpoint> latestValid(java.util.function.Consumer<String> skipped) {
        for (Checkpoint checkpoint : list()) {
            try {
                verify(checkpoint.dir());
                return Optional.of(checkpoint);
            } catch (Gan4jException e) {
                skipped.accept(e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Logs the WARN {@link #latestValid()} logs for a skipped checkpoint.
     *
     * @param reason why it is invalid
     */
    public static void warnSkipped(String reason) {
        LOGGER.warn("skipping invalid {}", reason);
    }

    /**
     * Returns the checkpoint of a given step, verified.
     *
     * @param step the step
     * @return the checkpoint, or empty if there is no folder for that step
     * @throws Gan4jException if the folder exists but fails verification (the message says why)
     */
    public Optional<Checkpoint> find(long step) {
        Path dir = directory.resolve(Formats.stepName(step));
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        verify(dir);
        return Optional.of(new Checkpoint(step, dir));
    }

    /**
     * Deletes every checkpoint with a step above the given one and points {@code latest} at the newest remaining
     * one (or deletes {@code latest} if none remains). Call this when resuming from {@code step}.
     *
     * @param step the step being resumed from
     * @throws Gan4jException if a deletion fails
     */
    public void deleteAfter(long step) {
        List<Checkpoint> all = list();
        for (Checkpoint checkpoint : all) {
            if (checkpoint.step() > step) {
                LOGGER.info("deleting checkpoint {} (after resume step {})", checkpoint.dir().getFileName(), step);
                delete(checkpoint.dir());
            }
        }
        Path latest = directory.resolve(LATEST);
        try {
            Optional<Checkpoint> newest = list().stream().findFirst();
            if (newest.isPresent()) {
                AtomicFiles.writeString(latest, newest.get().dir().getFileName() + "\n");
            } else {
                Files.deleteIfExists(latest);
            }
        } catch (IOException e) {
            throw IoFailures.wrap("cannot update " + latest, e);
        }
    }

    /**
     * Checks a checkpoint folder against its manifest: every listed file present with the listed size and
     * SHA-256, and the manifest's step matching the folder name.
     *
     * @param checkpointDir the checkpoint folder
     * @throws Gan4jException naming the folder and the file that is missing, truncated or altered
     */
    public static void verify(Path checkpointDir) {
        Path manifestFile = checkpointDir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new Gan4jException("checkpoint " + checkpointDir + " has no " + MANIFEST
                    + " (incomplete write or not a gan4j checkpoint)");
        }
        JsonNode manifest;
        try {
            manifest = Json.MAPPER.readTree(manifestFile.toFile());
        } catch (IOException e) {
            throw new Gan4jException("checkpoint " + checkpointDir + ": " + MANIFEST + " is unreadable or not JSON",
                    e);
        }
        JsonNode listing = manifest == null ? null : manifest.get("files");
        if (listing == null || !listing.isArray()) {
            throw new Gan4jException("checkpoint " + checkpointDir + ": " + MANIFEST + " has no \"files\" list");
        }
        OptionalLong folderStep = Formats.parseStepName(checkpointDir.getFileName().toString());
        JsonNode manifestStep = manifest.get("step");
        if (folderStep.isPresent() && (manifestStep == null || manifestStep.asLong(-1) != folderStep.getAsLong())) {
            throw new Gan4jException("checkpoint " + checkpointDir + ": " + MANIFEST + " is for step "
                    + manifestStep + ", not " + folderStep.getAsLong());
        }
        boolean hasState = false;
        for (JsonNode entry : listing) {
            String name = entry.path("name").asText("");
            long expectedSize = entry.path("size").asLong(-1);
            String expectedSha = entry.path("sha256").asText("");
            if (!isValidFileName(name) || expectedSize < 0 || expectedSha.isEmpty()) {
                throw new Gan4jException("checkpoint " + checkpointDir + ": " + MANIFEST + " has a malformed entry "
                        + entry);
            }
            hasState |= name.equals(STATE);
            Path file = checkpointDir.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new Gan4jException("checkpoint " + checkpointDir + ": file " + name + " is missing");
            }
            long size;
            String sha;
            try {
                size = Files.size(file);
                sha = size == expectedSize ? sha256(file) : "";
            } catch (IOException e) {
                throw IoFailures.wrap("checkpoint " + checkpointDir + ": cannot read file " + name, e);
            }
            if (size != expectedSize) {
                throw new Gan4jException(String.format("checkpoint %s: file %s is %s (expected %d bytes, found %d)",
                        checkpointDir, name, size < expectedSize ? "truncated" : "too long", expectedSize, size));
            }
            if (!sha.equalsIgnoreCase(expectedSha)) {
                throw new Gan4jException("checkpoint " + checkpointDir + ": file " + name
                        + " is corrupt (SHA-256 does not match the manifest)");
            }
        }
        if (!hasState) {
            throw new Gan4jException("checkpoint " + checkpointDir + ": " + MANIFEST + " does not list " + STATE);
        }
    }

    /**
     * One checkpoint folder.
     *
     * @param step the training step it was written at
     * @param dir its folder, {@code checkpoints/step-NNNNNN}
     */
    public record Checkpoint(long step, Path dir) {

        /**
         * Returns the path of a file in this checkpoint.
         *
         * @param name the file name as given to {@link CheckpointStore#write}
         * @return the path (the file may not exist)
         * @throws IllegalArgumentException if the name is not a plain file name
         */
        public Path file(String name) {
            checkFileName(name);
            return dir.resolve(name);
        }

        /**
         * Opens a file of this checkpoint for reading; the caller closes the stream.
         *
         * @param name the file name
         * @return the stream
         * @throws Gan4jException if the file is missing or unreadable
         */
        public InputStream open(String name) {
            Path file = file(name);
            try {
                return Files.newInputStream(file);
            } catch (NoSuchFileException e) {
                throw new Gan4jException("checkpoint " + dir + " has no file " + name, e);
            } catch (IOException e) {
                throw IoFailures.wrap("cannot read " + file, e);
            }
        }

        /**
         * Reads {@code state.json}: the caller's state plus {@code "step"}.
         *
         * @return the state tree
         * @throws Gan4jException if the file is missing or not JSON
         */
        public JsonNode state() {
            try (InputStream in = open(STATE)) {
                return Json.MAPPER.readTree(in);
            } catch (IOException e) {
                throw IoFailures.wrap("cannot read " + dir.resolve(STATE), e);
            }
        }

        /**
         * Returns the names of the files the manifest lists, in write order ({@code state.json} last).
         *
         * @return the names
         * @throws Gan4jException if the manifest is missing or unreadable
         */
        public List<String> fileNames() {
            try {
                JsonNode manifest = Json.MAPPER.readTree(dir.resolve(MANIFEST).toFile());
                List<String> names = new ArrayList<>();
                manifest.path("files").forEach(entry -> names.add(entry.path("name").asText()));
                return names;
            } catch (IOException e) {
                throw IoFailures.wrap("cannot read " + dir.resolve(MANIFEST), e);
            }
        }
    }

    private static ObjectNode writeFile(Path file, IoWriter writer) throws IOException {
        MessageDigest digest = newDigest();
        long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            CountingOutputStream counter = new CountingOutputStream(Channels.newOutputStream(channel));
            OutputStream out = new BufferedOutputStream(new DigestOutputStream(counter, digest), 1 << 16);
            writer.write(out);
            out.flush();
            channel.force(true);
            size = counter.count;
        }
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("name", file.getFileName().toString());
        entry.put("size", size);
        entry.put("sha256", HexFormat.of().formatHex(digest.digest()));
        return entry;
    }

    private void installAt(Path temp, Path target) throws IOException {
        if (!Files.exists(target)) {
            AtomicFiles.move(temp, target);
            return;
        }
        // Same step again: keep a complete folder on disk at every moment (the old one aside, then the new one).
        Path aside = directory.resolve(TEMP_PREFIX + "replaced-" + target.getFileName() + "-" + AtomicFiles.randomHex());
        AtomicFiles.move(target, aside);
        try {
            AtomicFiles.move(temp, target);
        } catch (IOException e) {
            AtomicFiles.move(aside, target);
            throw e;
        }
        delete(aside);
    }

    private void prune(Checkpoint written) {
        List<Checkpoint> all = list();
        if (!all.isEmpty() && all.get(0).step() > written.step()) {
            LOGGER.warn("checkpoint {} is newer than the one just written ({}); call deleteAfter when resuming",
                    all.get(0).dir().getFileName(), written.dir().getFileName());
        }
        for (int i = keep; i < all.size(); i++) {
            if (all.get(i).step() != written.step()) {
                delete(all.get(i).dir());
            }
        }
        removeLeftovers();
    }

    /**
     * Removes what interrupted writes left in the folder: {@code .tmp-*} folders of checkpoints being written or
     * deleted and temp files of the {@code latest} pointer. Every write does this; a resume calls it for a folder that
     * may see no further write (the best checkpoint's). Call {@link #restoreInterruptedReplacements} first. A failure
     * to list the folder only warns.
     */
    public void removeLeftovers() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            // interrupted checkpoint writes (.tmp-*) and interrupted writes of the latest pointer (.latest.tmp-*)
            for (Path leftover : entries.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)
                    || AtomicFiles.isTempName(p.getFileName().toString())).toList()) {
                LOGGER.debug("removing leftover {}", leftover);
                delete(leftover);
            }
        } catch (IOException e) {
            LOGGER.warn("cannot clean leftovers in {}: {}", directory, IoFailures.reason(e));
        }
    }

    /**
     * Puts back checkpoints that a rewrite of their step had moved aside ({@code .tmp-replaced-step-N-<hex>}) when a
     * kill came before the new one was renamed into place: each is then the only copy of its step. Call it before
     * looking for the newest checkpoint of a run that may have been killed (a later write would delete it as a
     * leftover).
     */
    public void restoreInterruptedReplacements() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        String prefix = TEMP_PREFIX + "replaced-";
        List<Path> aside;
        try (Stream<Path> entries = Files.list(directory)) {
            aside = entries.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p))
                    .toList();
        } catch (IOException e) {
            throw IoFailures.wrap("cannot list checkpoints in " + directory, e);
        }
        for (Path folder : aside) {
            String name = folder.getFileName().toString();
            int hex = name.lastIndexOf('-');
            Path target = hex > prefix.length() ? directory.resolve(name.substring(prefix.length(), hex)) : null;
            if (target == null || Formats.parseStepName(target.getFileName().toString()).isEmpty()
                    || Files.exists(target)) {
                continue;
            }
            try {
                verify(folder);
            } catch (Gan4jException damaged) {
                continue;
            }
            try {
                AtomicFiles.move(folder, target);
            } catch (IOException e) {
                throw IoFailures.wrap("cannot restore checkpoint " + target, e);
            }
            LOGGER.warn("restored checkpoint {}: a kill interrupted the rewrite of its step", target);
        }
    }

    /** Deletes a folder tree, renaming it to a hidden temp name first so a half-deleted folder never looks valid. */
    private void delete(Path path) {
        Path victim = path;
        try {
            if (!path.getFileName().toString().startsWith(TEMP_PREFIX)) {
                victim = directory.resolve(TEMP_PREFIX + "deleting-" + path.getFileName() + "-"
                        + AtomicFiles.randomHex());
                AtomicFiles.move(path, victim);
            }
            deleteTree(victim);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot delete " + victim, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void deleteQuietly(Path root, Throwable failure) {
        try {
            deleteTree(root);
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    private static boolean isValidFileName(String name) {
        return name.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");
    }

    private static void checkFileName(String name) {
        if (!isValidFileName(name)) {
            throw new IllegalArgumentException("invalid checkpoint file name '" + name
                    + "': use letters, digits, '.', '_' and '-' (not first)");
        }
    }

    /** Counts the bytes that reach the file, after buffering. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {

        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
