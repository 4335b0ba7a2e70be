using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Login;

internal sealed class VerifyModel(LoginFlow flow, IStringLocalizer<Texts> t) : VerifyPageBase(flow, t)
{
    protected override string Audience => SessionAudiences.Citizen;
}
