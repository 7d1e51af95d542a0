// Placeholder so the library has a source until the first renderer lands.
namespace ocicert::reports { int kReportsLibraryAnchor = 0; }
