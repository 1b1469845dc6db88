namespace LogoutFunction.Tests.Contract;

/// <param name="Name">Unique; the tests take cases by name so that their names stay readable.</param>
/// <param name="SeededTokenRemains">When the request seeds a refresh token: whether it must still be in the table afterwards.</param>
public sealed record ContractCase(string Name, ContractRequest Request, ContractAnswer Expected, bool? SeededTokenRemains = null)
{
    public override string ToString() => Name;
}
