using IdentityHub.Data.Registry;

namespace IdentityHub.Server.Pages.Console.Enrolments;

/// <summary>What the _EnrolmentFields partial shows: the form's values, the officer's service points, and whether it records a change of particulars.</summary>
internal sealed record EnrolmentFieldsModel(EnrolmentForm Form, IReadOnlyList<ServicePointRecord> Points, bool ChangeOfParticulars = false);
