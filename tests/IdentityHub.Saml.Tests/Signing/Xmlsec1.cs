using System.Diagnostics;

namespace IdentityHub.Saml.Tests.Signing;

/// <summary>xmlsec1 (the libxmlsec1 command line, an independent XML DSig/XML Encryption implementation) as a child process.</summary>
internal static class Xmlsec1
{
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("xmlsec1")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("xmlsec1 did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException("xmlsec1 did not finish in 60 s.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>
    /// Verifies one signature with the given certificate's key. xmlsec1 checks the FIRST ds:Signature it meets in document
    /// order unless told otherwise; --node-xpath sets the start node to a chosen ds:Signature (local-name() avoids
    /// declaring prefixes to xmlsec1), so each signature of a Response with a signed Assertion is checked on its own.
    /// --id-attr registers SAML's "ID" attributes, which xmlsec1 does not know as IDs without a schema.
    /// </summary>
    public static (int ExitCode, string Output) Verify(string certificatePath, string documentPath, string? signatureXPath = null)
    {
        var arguments = new List<string>
        {
            "--verify", "--pubkey-cert-pem", certificatePath,
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response",
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:LogoutRequest",
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:LogoutResponse",
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
        };
        if (signatureXPath is not null)
        {
            arguments.AddRange(["--node-xpath", signatureXPath]);
        }

        arguments.Add(documentPath);
        return Run([.. arguments]);
    }
}
