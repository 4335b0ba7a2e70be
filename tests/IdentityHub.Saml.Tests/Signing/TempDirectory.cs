namespace IdentityHub.Saml.Tests.Signing;

/// <summary>A directory for the files xmlsec1 reads, removed after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("identityhub-saml-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
