package nl.betrokken.crypto.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A text file that holds key material and must be readable by its owner only.
 *
 * <p>Requires a POSIX file system. {@link #write} creates a temporary file in the target directory with mode
 * {@code rw-------}, writes and forces it to disk, then renames it over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE} and forces the directory, so readers see the old content or the new,
 * never a partial file. {@link #read} refuses a symbolic link, anything but a regular file, and a file that
 * grants any group or other permission.
 *
 * <p>Not checked: who owns the file. A key file owned by another account can be rewritten by that account, so run
 * the service as the account that owns its key files.
 */
public final class OwnerOnlyFile {

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_BITS = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private OwnerOnlyFile() {}

    /**
     * Writes {@code text} (UTF-8) to {@code path} atomically, owner read/write only. Replaces an existing file.
     *
     * @throws KeyFileException if the directory does not support POSIX permissions
     * @throws IOException if the write fails; the temporary file is removed on failure
     */
    public static void write(Path path, String text) throws IOException {
        put(path, text, true);
    }

    /**
     * Writes {@code text} to {@code path} only if no file is there yet, atomically: when several processes race to
     * create the same file (two services generating a key on first start), exactly one wins and every one of them
     * then reads the winner's content.
     *
     * @return whether this call created the file
     */
    public static boolean writeIfAbsent(Path path, String text) throws IOException {
        return put(path, text, false);
    }

    private static boolean put(Path path, String text, boolean replace) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            throw new KeyFileException(dir + ": cannot set owner-only permissions on a non-POSIX file system", e);
        }
        boolean created = true;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (replace) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } else {
                // A hard link is created atomically and never replaces an existing file.
                try {
                    Files.createLink(target, tmp);
                } catch (FileAlreadyExistsException e) {
                    created = false;
                }
                Files.delete(tmp);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        // Make the rename itself durable, so a crash right after a rotation cannot bring back the old content.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        return created;
    }

    /**
     * Reads the file as UTF-8 text.
     *
     * <p>Attributes are read without following symbolic links, and the file is opened with
     * {@link LinkOption#NOFOLLOW_LINKS}, so a link planted in place of the key file is refused rather than
     * followed to whatever it points at.
     *
     * @throws KeyFileException if {@code path} is a symbolic link or not a regular file, if the file grants any
     *     group or other permission (the message names the path and the permissions found), or if it is not
     *     valid UTF-8
     * @throws IOException if the file cannot be read
     */
    public static String read(Path path) throws IOException {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            throw new KeyFileException(path + ": cannot check permissions on a non-POSIX file system", e);
        }
        if (attrs.isSymbolicLink()) {
            throw new KeyFileException(path + " is a symbolic link; must be a regular file");
        }
        if (!attrs.isRegularFile()) {
            throw new KeyFileException(path + " is not a regular file");
        }
        Set<PosixFilePermission> perms = attrs.permissions();
        if (!OWNER_BITS.containsAll(perms)) {
            throw new KeyFileException(path + " has permissions " + PosixFilePermissions.toString(perms)
                    + "; must be readable by its owner only (chmod 600)");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readAllBytes();
        }
        try {
            // newDecoder() reports malformed input, where new String(bytes, UTF_8) would replace it silently.
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new KeyFileException(path + " is not valid UTF-8", e);
        }
    }
}
