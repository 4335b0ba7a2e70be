using System.Globalization;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Issuance;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using IdentityHub.IntegrationTests.Infrastructure;

namespace IdentityHub.IntegrationTests.Enrolment;

/// <summary>Each refusal names what is wrong, next to the field where there is one, and leaves every registry and PKI table unchanged.</summary>
[Collection(HubCollection.Name)]
public sealed class BadInputTests(HubFixture hub)
{
    private readonly EnrolmentDriver _driver = new(hub);

    private async Task<Outcome<EnrolmentView>> RefusedCreateAsync(EnrolmentRequest request, string field, string messagePart)
    {
        await _driver.EnsureServicePointAsync();
        var before = await _driver.FootprintAsync();
        var outcome = await _driver.CreateAsync(request);
        Assert.False(outcome.Succeeded);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal(EnrolmentErrors.Validation, error.Code);
        Assert.Equal(field, error.Field);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await _driver.FootprintAsync());
        return outcome;
    }

    [Fact]
    public Task A_national_id_with_a_wrong_check_digit_is_refused()
    {
        var valid = IdentityHub.Core.Identity.NationalId.NewId().Value;
        var wrongCheckDigit = valid[..^1] + (char)('0' + ((valid[^1] - '0' + 1) % 10));
        return RefusedCreateAsync(EnrolmentDriver.NewPerson() with { ExistingNationalId = wrongCheckDigit }, nameof(EnrolmentRequest.ExistingNationalId), "mistyped digit");
    }

    [Fact]
    public Task A_birth_date_in_the_future_is_refused() =>
        RefusedCreateAsync(EnrolmentDriver.NewPerson(dateOfBirth: DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            nameof(EnrolmentRequest.DateOfBirth), "today or in the past");

    [Fact]
    public Task An_expired_identity_document_is_refused() =>
        RefusedCreateAsync(EnrolmentDriver.NewPerson() with { DocumentExpiresOn = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            nameof(EnrolmentRequest.DocumentExpiresOn), "expired");

    [Fact]
    public Task A_name_with_digits_is_refused() =>
        RefusedCreateAsync(EnrolmentDriver.NewPerson(surname: "Tamm2"), nameof(EnrolmentRequest.Surname), "letters");

    [Fact]
    public async Task A_file_that_is_not_a_photo_is_refused()
    {
        await _driver.EnsureServicePointAsync();
        var before = await _driver.FootprintAsync();

        var outcome = await _driver.CreateAsync(EnrolmentDriver.NewPerson(), new FacePhoto("image/jpeg", "%PDF-1.7 not a photo"u8.ToArray()));

        Assert.Equal("Photo", Assert.Single(outcome.Errors).Field);
        Assert.Equal(before, await _driver.FootprintAsync());
    }

    [Fact]
    public async Task Issuing_without_approval_is_refused()
    {
        await _driver.EnsureServicePointAsync();
        var created = EnrolmentDriver.Ok(await _driver.CreateAsync(EnrolmentDriver.NewPerson()));
        EnrolmentDriver.Ok(await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.VerifyAsync(created.Id, EnrolmentDriver.Officer, CancellationToken.None)));
        var before = await _driver.FootprintAsync();

        var outcome = await _driver.WithAsync<EidIssuer, Outcome<IssuedEid>>(s => s.IssueAsync(created.Id, EnrolmentDriver.Officer, CancellationToken.None));

        Assert.Equal(EnrolmentErrors.InvalidState, outcome.ErrorCode);
        Assert.Contains("supervisor must approve", outcome.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(before, await _driver.FootprintAsync());
    }

    [Fact]
    public async Task A_supervisor_cannot_approve_an_enrolment_they_recorded()
    {
        await _driver.EnsureServicePointAsync();
        var created = EnrolmentDriver.Ok(await _driver.CreateAsync(EnrolmentDriver.NewPerson(), actor: EnrolmentDriver.Supervisor));
        EnrolmentDriver.Ok(await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.VerifyAsync(created.Id, EnrolmentDriver.Officer, CancellationToken.None)));
        var before = await _driver.FootprintAsync();

        var outcome = await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.ApproveAsync(created.Id, EnrolmentDriver.Supervisor, CancellationToken.None));

        Assert.Equal(EnrolmentErrors.FourEyes, outcome.ErrorCode);
        Assert.Equal(before, await _driver.FootprintAsync());
    }

    [Fact]
    public async Task An_officer_without_the_supervisor_role_cannot_approve()
    {
        await _driver.EnsureServicePointAsync();
        var created = EnrolmentDriver.Ok(await _driver.CreateAsync(EnrolmentDriver.NewPerson()));
        EnrolmentDriver.Ok(await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.VerifyAsync(created.Id, EnrolmentDriver.Officer, CancellationToken.None)));

        var outcome = await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.ApproveAsync(created.Id, EnrolmentDriver.SecondOfficer, CancellationToken.None));

        Assert.Equal(EnrolmentErrors.Forbidden, outcome.ErrorCode);
    }

    [Fact]
    public async Task A_second_active_eID_for_the_same_person_is_refused()
    {
        var first = await _driver.IssuedAsync();
        var again = await _driver.ApprovedAsync(EnrolmentDriver.NewPerson() with { ExistingNationalId = first.NationalId });
        var before = await _driver.FootprintAsync();

        var outcome = await _driver.WithAsync<EidIssuer, Outcome<IssuedEid>>(s => s.IssueAsync(again.Id, EnrolmentDriver.Officer, CancellationToken.None));

        Assert.Equal(EnrolmentErrors.ActiveEidExists, outcome.ErrorCode);
        Assert.Equal(before, await _driver.FootprintAsync());
    }

    [Fact]
    public async Task One_identity_document_has_one_open_enrolment_even_when_counters_race()
    {
        await _driver.EnsureServicePointAsync();
        var request = EnrolmentDriver.NewPerson();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _driver.CreateAsync(request)));
        var again = await _driver.CreateAsync(request with { Surname = "Someone Else" });

        Assert.Single(outcomes, o => o.Succeeded);
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Equal(EnrolmentErrors.OpenEnrolmentExists, o.ErrorCode));
        Assert.Equal(EnrolmentErrors.OpenEnrolmentExists, again.ErrorCode);
        Assert.Equal(nameof(EnrolmentRequest.DocumentNumber), again.Errors[0].Field);
    }

    [Fact]
    public async Task Cancelling_is_possible_before_issue_and_refused_after()
    {
        var approved = await _driver.ApprovedAsync();
        var cancelled = EnrolmentDriver.Ok(await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(
            s => s.CancelAsync(approved.Id, "Person left the counter", EnrolmentDriver.Officer, CancellationToken.None)));
        Assert.Equal(IdentityHub.Data.Registry.EnrolmentStatus.Cancelled, cancelled.Status);
        var issue = await _driver.WithAsync<EidIssuer, Outcome<IssuedEid>>(s => s.IssueAsync(approved.Id, EnrolmentDriver.Officer, CancellationToken.None));
        Assert.Equal(EnrolmentErrors.InvalidState, issue.ErrorCode);

        var issued = await _driver.IssuedAsync();
        var late = await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(
            s => s.CancelAsync(issued.EnrolmentId, "too late", EnrolmentDriver.Officer, CancellationToken.None));
        Assert.Equal(EnrolmentErrors.InvalidState, late.ErrorCode);
    }
}

/// <summary>Duplicate detection stops an enrolment for an officer's decision instead of silently creating a second person.</summary>
[Collection(HubCollection.Name)]
public sealed class DuplicateTests(HubFixture hub)
{
    private readonly EnrolmentDriver _driver = new(hub);

    [Fact]
    public async Task Same_names_and_birth_date_typed_without_diacritics_stop_for_a_decision()
    {
        var original = EnrolmentDriver.NewPerson();
        var issued = await _driver.IssuedAsync(original);
        var retyped = EnrolmentDriver.NewPerson(surname: original.Surname!.Replace("Ņ", "N", StringComparison.Ordinal).Replace("Ö", "O", StringComparison.Ordinal).ToUpperInvariant())
            with { GivenNames = "ZOFIA ANNA" };

        var created = EnrolmentDriver.Ok(await _driver.CreateAsync(retyped));
        Assert.True(created.NeedsDuplicateDecision);
        var verify = await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.VerifyAsync(created.Id, EnrolmentDriver.Officer, CancellationToken.None));
        Assert.Equal(EnrolmentErrors.DuplicateDecisionRequired, verify.ErrorCode);

        // The officer compares and finds it is the same person: the enrolment continues for that person, who already holds an eID.
        var person = Assert.Single(created.DuplicateCandidates);
        EnrolmentDriver.Ok(await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(
            s => s.DecideDuplicateAsync(created.Id, person, "Same face and passport history", EnrolmentDriver.Officer, CancellationToken.None)));
        EnrolmentDriver.Ok(await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.VerifyAsync(created.Id, EnrolmentDriver.Officer, CancellationToken.None)));
        EnrolmentDriver.Ok(await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.ApproveAsync(created.Id, EnrolmentDriver.Supervisor, CancellationToken.None)));
        var issue = await _driver.WithAsync<EidIssuer, Outcome<IssuedEid>>(s => s.IssueAsync(created.Id, EnrolmentDriver.Officer, CancellationToken.None));
        Assert.Equal(EnrolmentErrors.ActiveEidExists, issue.ErrorCode);
        Assert.Contains("suspend, revoke or replace", issue.Errors[0].Message, StringComparison.Ordinal);
        Assert.NotEqual(default, issued.EidId);
    }

    [Fact]
    public async Task The_same_identity_document_is_a_duplicate_even_under_other_names()
    {
        var original = EnrolmentDriver.NewPerson();
        await _driver.IssuedAsync(original);

        var created = EnrolmentDriver.Ok(await _driver.CreateAsync(EnrolmentDriver.NewPerson(documentNumber: original.DocumentNumber)));

        Assert.True(created.NeedsDuplicateDecision);
    }

    [Fact]
    public async Task A_different_person_decision_lets_the_enrolment_create_a_new_person_and_is_recorded()
    {
        var original = EnrolmentDriver.NewPerson();
        var first = await _driver.IssuedAsync(original);
        var namesake = EnrolmentDriver.NewPerson(surname: original.Surname);

        var created = EnrolmentDriver.Ok(await _driver.CreateAsync(namesake));
        var decided = EnrolmentDriver.Ok(await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(
            s => s.DecideDuplicateAsync(created.Id, null, "Different face, different parents", EnrolmentDriver.Officer, CancellationToken.None)));
        EnrolmentDriver.Ok(await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.VerifyAsync(created.Id, EnrolmentDriver.Officer, CancellationToken.None)));
        EnrolmentDriver.Ok(await _driver.WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.ApproveAsync(created.Id, EnrolmentDriver.Supervisor, CancellationToken.None)));
        var second = EnrolmentDriver.Ok(await _driver.WithAsync<EidIssuer, Outcome<IssuedEid>>(s => s.IssueAsync(created.Id, EnrolmentDriver.Officer, CancellationToken.None)));

        Assert.Equal(IdentityHub.Data.Registry.DuplicateDecision.DifferentPerson, decided.DuplicateDecision);
        Assert.NotEqual(first.NationalId, second.NationalId);
        var found = EnrolmentDriver.Ok(await _driver.WithAsync<PersonRegistry, Outcome<IReadOnlyList<PersonView>>>(
            r => r.FindByNameAsync(original.Surname!, "Žofia Anna", new DateOnly(1987, 3, 27), EnrolmentDriver.Officer, CancellationToken.None)));
        Assert.Equal(2, found.Count);
    }
}
