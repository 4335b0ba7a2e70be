using IdentityHub.Server.Hosting;

return await HubServer.RunAsync(args);
