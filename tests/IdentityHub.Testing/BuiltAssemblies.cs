namespace IdentityHub.Testing;

/// <summary>The hub's executables, built in the same configuration as these tests.</summary>
public static class BuiltAssemblies
{
    public static string Server => Find("IdentityHub.Server", "IdentityHub.Server.dll");

    public static string Hubctl => Find("IdentityHub.Cli", "hubctl.dll");

    /// <summary>The checkout's root (where IdentityHub.sln is).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IdentityHub.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new DirectoryNotFoundException("No IdentityHub.sln above " + AppContext.BaseDirectory);
        }
    }

    private static string Find(string project, string assembly)
    {
        var baseDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var configuration = Path.GetFileName(Path.GetDirectoryName(baseDirectory))!; // bin/{Configuration}/net10.0
        var path = Path.Combine(RepositoryRoot, "src", project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first.", path);
    }
}
