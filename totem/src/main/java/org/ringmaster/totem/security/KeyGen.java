package org.ringmaster.totem.security;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * {@code ringmaster-keygen}: writes a random authkey with mode 0400, like corosync-keygen.
 *
 * <pre>
 * ringmaster-keygen [-k FILE] [-s BYTES] [-f]
 *   -k, --key-file FILE   where to write (default /etc/ringmaster/authkey)
 *   -s, --size BYTES      key size, 128..4096 (default 256)
 *   -f, --force           replace an existing key file
 *   -l                    accepted and ignored (corosync-keygen's "less secure" switch)
 * </pre>
 *
 * Exit status: 0 written, 1 failed (message on stderr), 2 bad usage.
 */
public final class KeyGen
{
    static final String USAGE = "usage: ringmaster-keygen [-k|--key-file FILE] [-s|--size BYTES] [-f|--force]\n"
        + "  writes " + AuthKey.MIN_BYTES + ".." + AuthKey.MAX_BYTES + " random bytes (default "
        + AuthKey.DEFAULT_BYTES + ") to FILE (default " + AuthKey.DEFAULT_PATH + ") with mode 0400;\n"
        + "  copy the same file to every node.";

    private KeyGen()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the tool; returns its exit status instead of exiting, so it can be tested. */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        Path file = AuthKey.DEFAULT_PATH;
        int size = AuthKey.DEFAULT_BYTES;
        boolean force = false;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "-k", "--key-file" ->
                {
                    if (++i == args.length)
                    {
                        return usage(err, arg + " needs a file name");
                    }
                    file = Path.of(args[i]);
                }
                case "-s", "--size" ->
                {
                    if (++i == args.length)
                    {
                        return usage(err, arg + " needs a size in bytes");
                    }
                    try
                    {
                        size = Integer.parseInt(args[i]);
                    }
                    catch (final NumberFormatException ex)
                    {
                        return usage(err, arg + " " + args[i] + " is not a number");
                    }
                    if (size < AuthKey.MIN_BYTES || size > AuthKey.MAX_BYTES)
                    {
                        return usage(err, arg + " " + size + " is out of range "
                            + AuthKey.MIN_BYTES + ".." + AuthKey.MAX_BYTES);
                    }
                }
                case "-f", "--force" -> force = true;
                case "-l" ->
                {
                    // corosync-keygen's /dev/urandom switch; SecureRandom never blocks on modern Linux.
                }
                case "-h", "--help" ->
                {
                    out.println(USAGE);
                    return 0;
                }
                default ->
                {
                    return usage(err, "unknown option " + arg);
                }
            }
        }
        try
        {
            AuthKey.generate(SecureRandom.getInstanceStrong(), size).writeTo(file, force);
            out.println("wrote " + size + "-byte authkey to " + file + " (mode 0400); copy it to every node");
            return 0;
        }
        catch (final AuthKeyException ex)
        {
            err.println("ringmaster-keygen: " + ex.getMessage());
            return 1;
        }
        catch (final NoSuchAlgorithmException ex)
        {
            err.println("ringmaster-keygen: no strong random source: " + ex.getMessage());
            return 1;
        }
    }

    private static int usage(final PrintStream err, final String problem)
    {
        err.println("ringmaster-keygen: " + problem);
        err.println(USAGE);
        return 2;
    }
}
