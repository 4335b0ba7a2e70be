using System.Security.Cryptography;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Signing;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Requests;

/// <summary>
/// Requests to sign: created by the citizen in the portal or by an agency over the REST API, opened and activated by
/// the citizen (SCAL2, <see cref="Activation.SignatureActivations"/>), signed by <see cref="RequestCompletion"/>.
/// Documents are checked when they arrive, so a request that exists can be signed.
/// </summary>
public sealed class SigningRequests(HubDbContext db, AuditLog audit, RequestNotifications notifications, TimeProvider time, IOptions<SigningOptions> options)
{
    public const string Created = "signing.request.created";
    public const string Opened = "signing.request.opened";
    public const string Cancelled = "signing.request.cancelled";

    /// <summary>Checks and stores a request. <paramref name="accountId"/> is the citizen (portal) or null (agency, opened later).</summary>
    public async Task<RequestOutcome<SigningRequestView>> CreateAsync(
        NewSigningRequest request, Guid? accountId, string? clientId, string? expectedSubject, string? callbackUri, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Check(request) is { } problem)
        {
            return RequestOutcome.Fail<SigningRequestView>(problem.Code, problem.Detail);
        }

        foreach (var file in request.Files)
        {
            try
            {
                DocumentPreflight.Check(request.Format, file, certify: request.Certification is not null);
            }
            catch (DocumentRejectedException ex)
            {
                return RequestOutcome.Fail<SigningRequestView>(ex.Code, $"{file.Name}: {ex.Message}");
            }
        }

        var now = time.GetUtcNow();
        var row = new SigningRequestRecord
        {
            Id = Guid.CreateVersion7(now),
            AccountId = accountId,
            ClientId = clientId,
            ExpectedSubject = expectedSubject,
            Format = request.Format,
            Level = LevelName(request.Level),
            Visible = request.Visible && request.Format == RequestFormats.Pades,
            Certification = request.Certification,
            Purpose = string.IsNullOrWhiteSpace(request.Purpose) ? null : request.Purpose.Trim()[..Math.Min(request.Purpose.Trim().Length, 500)],
            CallbackUri = callbackUri,
            State = RequestStates.Pending,
            CreatedAt = now,
            ExpiresAt = now + options.Value.PendingRequestLifetime,
            KeepDocuments = request.KeepDocuments,
            Documents = [.. request.Files.Select((f, i) => new SigningDocumentRecord
            {
                Position = i,
                Name = f.Name.Trim(),
                MimeType = string.IsNullOrWhiteSpace(f.MimeType) ? "application/octet-stream" : f.MimeType.Trim(),
                Size = f.Content.Length,
                Sha256 = SHA256.HashData(f.Content.Span),
                Content = f.Content.ToArray(),
            })],
        };

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.SigningRequests.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent(Created, actor, row.Id.ToString(), Details(row)), ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new(View(row));
    }

    /// <summary>The citizen's own request (or one of theirs an agency sent); null for anything else.</summary>
    public async Task<SigningRequestView?> FindAsync(Guid id, Guid accountId, CancellationToken ct) =>
        await Views(db.SigningRequests.Where(r => r.Id == id && r.AccountId == accountId)).SingleOrDefaultAsync(ct);

    /// <summary>An agency's own request; null for another agency's.</summary>
    public async Task<SigningRequestView?> FindForClientAsync(Guid id, string clientId, CancellationToken ct) =>
        await Views(db.SigningRequests.Where(r => r.Id == id && r.ClientId == clientId)).SingleOrDefaultAsync(ct);

    /// <summary>
    /// The citizen opens an agency's request from its link: it becomes theirs when no one opened it before and, if the
    /// agency named a subject, when that is the citizen's subject at that agency (<paramref name="subjectAtAgency"/>).
    /// </summary>
    public async Task<RequestOutcome<SigningRequestView>> OpenAsync(Guid id, Guid accountId, string actor, Func<string, Task<string>> subjectAtAgency, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subjectAtAgency);
        var row = await db.SigningRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null || row.ExpiresAt <= time.GetUtcNow())
        {
            return RequestOutcome.Fail<SigningRequestView>(RequestProblems.NotFound, "There is no such request to sign, or it has expired.");
        }

        if (row.AccountId == accountId)
        {
            return new(await Views(db.SigningRequests.Where(r => r.Id == id)).SingleAsync(ct));
        }

        if (row.AccountId is not null
            || (row.ExpectedSubject is not null && row.ClientId is not null
                && !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(await subjectAtAgency(row.ClientId)), System.Text.Encoding.UTF8.GetBytes(row.ExpectedSubject))))
        {
            await audit.AppendAsync(new AuditEvent(Opened, actor, row.Id.ToString(), new Dictionary<string, string> { ["outcome"] = "refused", ["reason"] = RequestProblems.OtherCitizen, ["client"] = row.ClientId ?? "" }), ct);
            return RequestOutcome.Fail<SigningRequestView>(RequestProblems.OtherCitizen, "This request was sent to someone else.");
        }

        // Only the first citizen to open an unaddressed request gets it (a conditional update: two nodes cannot both).
        var claimed = await db.SigningRequests.Where(r => r.Id == id && r.AccountId == null)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.AccountId, accountId), ct);
        if (claimed != 1)
        {
            return RequestOutcome.Fail<SigningRequestView>(RequestProblems.OtherCitizen, "This request was sent to someone else.");
        }

        await audit.AppendAsync(new AuditEvent(Opened, actor, row.Id.ToString(), new Dictionary<string, string> { ["outcome"] = "opened", ["client"] = row.ClientId ?? "" }), ct);
        return new(await Views(db.SigningRequests.Where(r => r.Id == id)).SingleAsync(ct));
    }

    /// <summary>What the citizen signed and asked to sign, newest first: names, hashes, times, agency (never the bytes).</summary>
    public async Task<IReadOnlyList<SigningRequestView>> HistoryAsync(Guid accountId, int take, CancellationToken ct) =>
        await Views(db.SigningRequests.Where(r => r.AccountId == accountId).OrderByDescending(r => r.CreatedAt).Take(Math.Clamp(take, 1, 200)))
            .ToListAsync(ct);

    /// <summary>A signed result, for its citizen (account) or its agency (client); null when there is none (any more).</summary>
    public async Task<SignedFile?> SignedDocumentAsync(Guid id, int position, Guid? accountId, string? clientId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var document = await db.SigningDocuments.AsNoTracking()
            .Where(d => d.RequestId == id && d.Position == position && d.SignedContent != null)
            .Join(db.SigningRequests.Where(r => r.State == RequestStates.Completed && r.ExpiresAt > now
                    && ((accountId != null && r.AccountId == accountId) || (clientId != null && r.ClientId == clientId))),
                d => d.RequestId, r => r.Id, (d, r) => new { d.SignedName, d.SignedMimeType, d.SignedContent, Original = d.SignedAppendsContent ? d.Content : null })
            .FirstOrDefaultAsync(ct);
        return document is null ? null
            : new SignedFile(document.SignedName!, document.SignedMimeType!, document.Original is { } original ? [.. original, .. document.SignedContent!] : document.SignedContent!);
    }

    /// <summary>Cancels a pending request (the citizen declines, or the agency withdraws it); its documents are deleted.</summary>
    public async Task<bool> CancelAsync(Guid id, Guid? accountId, string? clientId, string actor, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.SigningRequests
            .Where(r => r.Id == id && r.State == RequestStates.Pending && ((accountId != null && r.AccountId == accountId) || (clientId != null && r.ClientId == clientId)))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RequestStates.Cancelled), ct);
        if (changed == 1)
        {
            await db.SigningDocuments.Where(d => d.RequestId == id).ExecuteUpdateAsync(u => u.SetProperty(d => d.Content, (byte[]?)null), ct);
            await audit.AppendAsync(new AuditEvent(Cancelled, actor, id.ToString()), ct);
        }

        await transaction.CommitAsync(ct);
        if (changed == 1 && accountId is not null)
        {
            // The citizen declined: the agency that asked is told (it withdrew the request itself otherwise).
            var agency = await db.SigningRequests.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.ClientId, r.CallbackUri }).SingleAsync(ct);
            notifications.Notify(id, agency.ClientId, agency.CallbackUri, RequestStates.Cancelled);
        }

        return changed == 1;
    }

    /// <summary>Requests as pages and APIs show them, read without the documents' bytes (only their lengths).</summary>
    private static IQueryable<SigningRequestView> Views(IQueryable<SigningRequestRecord> requests) =>
        requests.AsNoTracking().Select(r => new SigningRequestView(
            r.Id, r.State, r.Format, r.Level, r.Visible, r.ClientId, r.Purpose, r.CreatedAt, r.ExpiresAt, r.SignedAt, r.KeepDocuments, r.CertificateSerial, r.FailureCode,
            r.Documents.OrderBy(d => d.Position).Select(d => new RequestDocument(d.Position, d.Name, d.MimeType, d.Size, Convert.ToHexStringLower(d.Sha256),
                d.SignedName, d.SignedContent == null ? null : (long?)d.SignedContent.Length + (d.SignedAppendsContent ? d.Size : 0), d.SignedSha256 == null ? null : Convert.ToHexStringLower(d.SignedSha256))).ToList(),
            r.Certification));

    internal static SigningRequestView View(SigningRequestRecord r) => new(
        r.Id, r.State, r.Format, r.Level, r.Visible, r.ClientId, r.Purpose, r.CreatedAt, r.ExpiresAt, r.SignedAt, r.KeepDocuments, r.CertificateSerial, r.FailureCode,
        [.. r.Documents.OrderBy(d => d.Position).Select(d => new RequestDocument(d.Position, d.Name, d.MimeType, d.Size, Convert.ToHexStringLower(d.Sha256),
            d.SignedName, d.SignedContent?.LongLength + (d.SignedAppendsContent ? d.Size : 0), d.SignedSha256 is null ? null : Convert.ToHexStringLower(d.SignedSha256)))],
        r.Certification);

    internal static string LevelName(SignatureLevel level) => level switch
    {
        SignatureLevel.BaselineB => "B-B",
        SignatureLevel.BaselineT => "B-T",
        SignatureLevel.BaselineLT => "B-LT",
        SignatureLevel.BaselineLTA => "B-LTA",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    internal static SignatureLevel? ParseLevel(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "B-B" or "B" => SignatureLevel.BaselineB,
        "B-T" or "T" => SignatureLevel.BaselineT,
        "B-LT" or "LT" => SignatureLevel.BaselineLT,
        "B-LTA" or "LTA" => SignatureLevel.BaselineLTA,
        _ => null,
    };

    private (string Code, string Detail)? Check(NewSigningRequest request)
    {
        if (request.Files is not { Count: > 0 })
        {
            return (RequestProblems.NoDocuments, "Add at least one document to sign.");
        }

        if (request.Files.Count > options.Value.MaxBatchDocuments)
        {
            return (RequestProblems.TooManyDocuments, $"At most {options.Value.MaxBatchDocuments} documents can be signed at once.");
        }

        if (!RequestFormats.All.Contains(request.Format))
        {
            return (RequestProblems.UnknownFormat, $"The format must be one of {string.Join(", ", RequestFormats.All)}.");
        }

        if (request.Level == SignatureLevel.None || request.Level > RequestFormats.MaxLevel(request.Format))
        {
            return (RequestProblems.LevelNotOffered, $"{request.Format} is offered from B-B up to {LevelName(RequestFormats.MaxLevel(request.Format))}.");
        }

        if (request.Certification is { } certification
            && (request.Format != RequestFormats.Pades || CertificationLevels.Name(certification) is null))
        {
            return (RequestProblems.CertificationNotOffered, request.Format == RequestFormats.Pades
                ? $"certification must be one of {string.Join(", ", CertificationLevels.All)}."
                : "Only PDF documents signed in PAdES can be certified.");
        }

        foreach (var file in request.Files)
        {
            var name = file.Name?.Trim() ?? "";
            if (name.Length is 0 or > 200 || name.IndexOfAny(['/', '\\', '\0']) >= 0 || name is "." or ".." || name.Any(char.IsControl))
            {
                return (RequestProblems.BadName, $"'{name}' cannot be a document name: use a plain file name of at most 200 characters.");
            }

            if (file.Content.Length > options.Value.MaxDocumentBytes)
            {
                return (DocumentProblems.TooLarge, $"{name} is larger than {options.Value.MaxDocumentBytes / (1024 * 1024)} MiB, the most the hub signs.");
            }
        }

        if (request.Files.Select(f => f.Name.Trim()).Distinct(StringComparer.Ordinal).Count() != request.Files.Count)
        {
            return (RequestProblems.BadName, "Two documents have the same name.");
        }

        return null;
    }

    private static Dictionary<string, string> Details(SigningRequestRecord row) => new()
    {
        ["format"] = row.Format,
        ["level"] = row.Level,
        ["certification"] = CertificationLevels.Name(row.Certification) ?? "",
        ["client"] = row.ClientId ?? "",
        ["documents"] = string.Join(" | ", row.Documents.Select(d => d.Name)),
        ["sha256"] = string.Join(' ', row.Documents.Select(d => Convert.ToHexStringLower(d.Sha256))),
    };
}
