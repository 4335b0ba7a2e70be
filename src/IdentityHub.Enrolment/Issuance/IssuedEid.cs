namespace IdentityHub.Enrolment.Issuance;

/// <summary>What issuing an eID produced. The activation code is not here: printing the letter creates it (one code per letter).</summary>
public sealed record IssuedEid(Guid EidId, Guid EnrolmentId, string NationalId, string DocumentNumber, DateTimeOffset ExpiresAt,
    string AuthenticationCertificateSerial, string SignatureCertificateSerial);
