using System.Security.Cryptography.X509Certificates;
using System.Xml;

namespace IdentityHub.Testing.Saml;

/// <summary>Reads the hub's published SAML metadata the way an SP's administrator would: the signing certificate to pin.</summary>
public static class IdpMetadata
{
    public static X509Certificate2 SigningCertificate(string metadata)
    {
        var document = new XmlDocument { XmlResolver = null };
        using (var reader = XmlReader.Create(new StringReader(metadata), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
        {
            document.Load(reader);
        }

        var manager = new XmlNamespaceManager(document.NameTable);
        manager.AddNamespace("md", "urn:oasis:names:tc:SAML:2.0:metadata");
        manager.AddNamespace("ds", "http://www.w3.org/2000/09/xmldsig#");
        var text = document.SelectSingleNode("//md:IDPSSODescriptor/md:KeyDescriptor[@use='signing']//ds:X509Certificate", manager)!.InnerText;
        return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text.Trim()));
    }
}
