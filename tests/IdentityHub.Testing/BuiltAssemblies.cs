namespace IdentityHub.Testing;

/// <summary>The hub's executables, built in the same configuration as these tests.</summary>
public static class BuiltAssemblies
{
    public static string Server => Find("IdentityHub.Server", "IdentityHub.Server.dll");

    public static string Hubctl => Find("IdentityHub.Cli", "hubctl.dll");

    private static string Find(string project, string assembly)
    {
        var baseDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var configuration = Path.GetFileName(Path.GetDirectoryName(baseDirectory))!; // bin/{Configuration}/net10.0
        var directory = new DirectoryInfo(baseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IdentityHub.sln")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory!.FullName, "src", project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first.", path);
    }
}
