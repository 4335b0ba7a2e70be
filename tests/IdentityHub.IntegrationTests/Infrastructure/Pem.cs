using System.Security.Cryptography;

namespace IdentityHub.IntegrationTests.Infrastructure;

public static class Pem
{
    public static string Certificate(byte[] der) => new string(PemEncoding.Write("CERTIFICATE", der)) + "\n";

    public static async Task<string> WriteCertificateAsync(string path, byte[] der)
    {
        await File.WriteAllTextAsync(path, Certificate(der));
        return path;
    }
}
