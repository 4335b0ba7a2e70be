using System.Security.Cryptography;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Signing;
using IdentityHub.Signing.Activation;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.TimeStamps;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Requests;

/// <summary>
/// From a pending request to signed documents: prepares the activation the citizen confirms (names, sizes and SHA-256
/// of exactly these documents), then, through <see cref="SignatureGate"/>, consumes it and signs every document. The
/// signatures are made in memory first and written in one transaction with their audit events, so a failure halfway
/// (the TSA unreachable, say) leaves the request pending-or-failed, never half signed.
/// </summary>
public sealed partial class RequestCompletion(
    HubDbContext db,
    SignatureActivations activations,
    SignatureGate gate,
    RequestSigners signers,
    AuditLog audit,
    RequestNotifications notifications,
    TimeProvider time,
    IOptions<SigningOptions> options,
    ILogger<RequestCompletion> logger)
{
    public const string DocumentSigned = "signing.document.signed";
    public const string RequestFailed = "signing.request.failed";

    /// <summary>Prepares the activation for the request's documents; the page then asks the citizen to confirm it.</summary>
    public async Task<RequestOutcome<PreparedActivation>> PrepareActivationAsync(Guid requestId, Guid accountId, string? clientAddress, CancellationToken ct)
    {
        var row = await db.SigningRequests.FirstOrDefaultAsync(r => r.Id == requestId && r.AccountId == accountId, ct);
        if (row is null || row.ExpiresAt <= time.GetUtcNow())
        {
            return RequestOutcome.Fail<PreparedActivation>(RequestProblems.NotFound, "There is no such request to sign, or it has expired.");
        }

        if (row.State != RequestStates.Pending)
        {
            return RequestOutcome.Fail<PreparedActivation>(RequestProblems.NotPending, "This request was already signed or cancelled.");
        }

        var prepared = await activations.PrepareAsync(new ActivationRequest(accountId,
            await db.SigningDocuments.AsNoTracking().Where(d => d.RequestId == requestId).OrderBy(d => d.Position)
                .Select(d => new DocumentToSign(d.Name, d.Size, d.Sha256)).ToListAsync(ct),
            ClientId: row.ClientId, ClientAddress: clientAddress), ct);
        if (!prepared.Succeeded)
        {
            return RequestOutcome.Fail<PreparedActivation>(
                prepared.Error == ActivationError.NoCredential ? RequestProblems.NoCredential : RequestProblems.ActivationRefused,
                prepared.Error == ActivationError.NoCredential ? "You hold no active eID with a signature certificate." : $"The activation could not be prepared ({prepared.Error}).");
        }

        row.ActivationId = prepared.Activation!.Id;
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return new(prepared.Activation);
    }

    /// <summary>Signs the request's documents with the activation the citizen confirmed; the activation is spent either way.</summary>
    public async Task<RequestOutcome<SigningRequestView>> SignAsync(Guid requestId, Guid accountId, string actor, string? clientAddress, CancellationToken ct)
    {
        SigningRequestRecord? row;
        using (SigningTelemetry.Start("signing.load"))
        {
            row = await db.SigningRequests.Include(r => r.Documents).FirstOrDefaultAsync(r => r.Id == requestId && r.AccountId == accountId, ct);
        }

        if (row is null)
        {
            return RequestOutcome.Fail<SigningRequestView>(RequestProblems.NotFound, "There is no such request to sign.");
        }

        if (row.State != RequestStates.Pending || row.ActivationId is not { } activationId)
        {
            return row.State == RequestStates.Completed
                ? new(SigningRequests.View(row))
                : RequestOutcome.Fail<SigningRequestView>(RequestProblems.NotPending, "This request is not waiting for a signature.");
        }

        var documents = row.Documents.OrderBy(d => d.Position).ToList();
        GateOutcome opened;
        using (SigningTelemetry.Start("signing.gate"))
        {
            opened = await gate.OpenAsync(activationId, accountId, [.. documents.Select(d => d.Sha256)], ct);
        }

        if (!opened.Succeeded)
        {
            return RequestOutcome.Fail<SigningRequestView>(
                opened.Refusal == ConsumeRefusal.NoCredential ? RequestProblems.NoCredential : RequestProblems.ActivationRefused,
                $"The signature was not made: the activation was refused ({opened.Refusal.Code()}).");
        }

        IReadOnlyList<SignedOutput> outputs;
        try
        {
            using var span = SigningTelemetry.Start("signing.sign");
            outputs = await signers.SignAsync(row.Format, SigningRequests.ParseLevel(row.Level)!.Value, row.Visible, row.Certification,
                [.. documents.Select(d => new SignedFile(d.Name, d.MimeType, d.Content!))], opened.Signer!, ct);
        }
        catch (Exception ex) when (ex is TimeStampUnavailableException or DocumentRejectedException)
        {
            var code = ex is DocumentRejectedException rejected ? rejected.Code : RequestProblems.TimeStampUnavailable;
            SigningFailed(logger, row.Id, code, ex);
            await FailAsync(row.Id, code, actor, ct);
            return RequestOutcome.Fail<SigningRequestView>(code, ex.Message);
        }

        var now = time.GetUtcNow();
        using var store = SigningTelemetry.Start("signing.store");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var output in outputs)
        {
            var document = documents[output.Position];
            document.SignedName = output.Name;
            document.SignedMimeType = output.MimeType;
            document.SignedSha256 = SHA256.HashData(output.Content);
            // A PAdES signature is an incremental update: only the new revision is written, after the upload kept as is.
            document.SignedAppendsContent = row.Format == RequestFormats.Pades && document.Content is { } original && output.Content.AsSpan().StartsWith(original);
            document.SignedContent = document.SignedAppendsContent ? output.Content[document.Content!.Length..] : output.Content;
        }

        foreach (var document in documents.Where(d => !d.SignedAppendsContent))
        {
            document.Content = null; // the originals are not kept (docs/signing.md "What is kept")
        }

        row.State = RequestStates.Completed;
        row.SignedAt = now;
        row.KeyId = opened.Credential!.KeyId;
        row.CertificateSerial = opened.Credential.CertificateSerial;
        row.ExpiresAt = now + (row.KeepDocuments ? options.Value.KeptDocumentLifetime : options.Value.SignedDocumentLifetime);
        // No savepoint (EF makes one inside a transaction it did not start): a failure rolls the whole transaction back.
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }

        await audit.AppendAsync([.. documents.Select(d => new AuditEvent(DocumentSigned, actor, row.Id.ToString(), new Dictionary<string, string>
        {
            ["document"] = d.Name,
            ["sha256"] = Convert.ToHexStringLower(d.Sha256),
            ["signedSha256"] = d.SignedSha256 is null ? "" : Convert.ToHexStringLower(d.SignedSha256),
            ["format"] = row.Format,
            ["level"] = row.Level,
            ["certification"] = CertificationLevels.Name(row.Certification) ?? "",
            ["keyId"] = row.KeyId,
            ["certificateSerial"] = row.CertificateSerial,
            ["client"] = row.ClientId ?? "",
            ["clientAddress"] = clientAddress ?? "",
            ["activation"] = activationId.ToString(),
        }))], ct);
        await transaction.CommitAsync(ct);
        notifications.Notify(row.Id, row.ClientId, row.CallbackUri, row.State);
        return new(SigningRequests.View(row));
    }

    private async Task FailAsync(Guid id, string code, string actor, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var row = await db.SigningRequests.FirstAsync(r => r.Id == id, ct);
        // The activation is spent; the documents stay so that the citizen can try again with a new activation.
        row.ActivationId = null;
        row.FailureCode = code;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent(RequestFailed, actor, id.ToString(), new Dictionary<string, string> { ["reason"] = code, ["client"] = row.ClientId ?? "" }), ct);
        await transaction.CommitAsync(ct);
        // Still pending (the citizen may try again), with the failure code for the agency to read.
        notifications.Notify(id, row.ClientId, row.CallbackUri, RequestStates.Pending);
    }

    [LoggerMessage(EventId = 7503, Level = LogLevel.Warning, Message = "Signing request {RequestId} was not signed ({Code}); its activation is spent, the citizen can try again.")]
    private static partial void SigningFailed(ILogger logger, Guid requestId, string code, Exception exception);
}
