namespace IdentityHub.Enrolment.Issuance;

/// <summary>What issuing an eID produced. The activation code is not here: printing the letter creates it (one code per letter).</summary>
public sealed record IssuedEid(Guid EidId, Guid EnrolmentId, string NationalId, string DocumentNumber, DateTimeOffset ExpiresAt,
    string AuthenticationCertificateSerial, string SignatureCertificateSerial)
{
    /// <summary>A change of particulars was applied: the same eID got new certificates with the new particulars (for the console's message; the API answer is unchanged).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool ChangedParticulars { get; init; }
}
