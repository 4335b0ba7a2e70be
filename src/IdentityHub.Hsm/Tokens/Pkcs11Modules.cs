using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Tokens;

/// <summary>
/// PKCS#11 modules loaded by this process. C_Initialize may run once per module per process (a second call fails with
/// CKR_CRYPTOKI_ALREADY_INITIALIZED), while a process may open the same token several times (tests, the CLI), so modules
/// are shared and reference-counted; C_Finalize runs when the last user releases it.
/// </summary>
internal static class Pkcs11Modules
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, (IPkcs11Library Library, int Users)> Loaded = new(StringComparer.Ordinal);
    private static bool _resolverInstalled;

    public static Pkcs11InteropFactories Factories { get; } = new();

    public static IPkcs11Library Acquire(string path)
    {
        lock (Gate)
        {
            InstallResolver();
            if (Loaded.TryGetValue(path, out var entry))
            {
                Loaded[path] = (entry.Library, entry.Users + 1);
                return entry.Library;
            }

            var library = Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, path, AppType.MultiThreaded);
            Loaded[path] = (library, 1);
            return library;
        }
    }

    public static void Release(string path)
    {
        lock (Gate)
        {
            if (!Loaded.TryGetValue(path, out var entry))
            {
                return;
            }

            if (entry.Users > 1)
            {
                Loaded[path] = (entry.Library, entry.Users - 1);
                return;
            }

            Loaded.Remove(path);
            entry.Library.Dispose();
        }
    }

    /// <summary>
    /// Pkcs11Interop asks the loader for "libdl", which Debian 12 ships only as libdl.so.2; map the name for its assembly.
    /// SetDllImportResolver may be called once per assembly, hence the flag.
    /// </summary>
    private static void InstallResolver()
    {
        if (_resolverInstalled)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(IPkcs11Library).Assembly, Resolve);
        _resolverInstalled = true;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name is "libdl" or "libdl.so" && OperatingSystem.IsLinux())
        {
            if (NativeLibrary.TryLoad("libdl.so.2", assembly, searchPath, out var handle) || NativeLibrary.TryLoad("libc.so.6", assembly, searchPath, out handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }
}
