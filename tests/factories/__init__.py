"""factory_boy factories, a module per app: kirklees (users), wards, councillors, casework,
engagement (Place Standard), stories and learning. Import from the app's module:
`from tests.factories.casework import make_case`."""
