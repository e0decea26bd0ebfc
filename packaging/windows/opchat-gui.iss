; Inno Setup 6 script: the Windows installer for the PyInstaller onedir.
;
;   iscc /DAppVersion=0.1.0 packaging\windows\opchat-gui.iss
;
; Run it after `pyinstaller packaging\opchat-gui.spec --distpath build\dist` (the spec also
; writes build\icons\opchat-gui.ico). Paths below are relative to this file's folder.
; Installs per user (%LOCALAPPDATA%\Programs\opchat-gui, no admin prompt) by default; the
; first page offers an all-users install, and /ALLUSERS or /CURRENTUSER choose on the
; command line. Silent: setup.exe /VERYSILENT /SUPPRESSMSGBOXES /CURRENTUSER.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\opchat-gui.iss
#endif
#ifndef AppSourceDir
  #define AppSourceDir "..\..\build\dist\opchat-gui"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\opchat-gui.ico"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppName "opchat-gui"
#define AppExe "opchat-gui.exe"

[Setup]
; AppId identifies the app for upgrades and the uninstaller: never change it.
AppId={{6F1C7A52-3D8E-4B0A-9C57-2E4D7B1A9F30}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The opchat-gui developers
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64
ArchitecturesInstallIn64BitMode=x64
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=opchat-gui-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole frozen app, so no file of an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#AppSourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; {autoprograms} and {autodesktop} are the user's own folders in a per-user install.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Fast, keyboard-driven AI chat"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The history and settings under %LOCALAPPDATA%\opchat-gui are the user's data: the
; uninstaller leaves them, as it leaves documents.
