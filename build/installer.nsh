; The station's additions to electron-builder's NSIS installer (electron-builder.yml nsis.include).
; No Windows machine builds here, so this is checked by reading: docs/deployment.md says how a
; site uses it.
;
; A site that runs the station under its own Windows account makes that account first (a local
; user, e.g. `net user EvidenceStation * /add`) and installs with
;     evidence-station-<version>-win-x64.exe /STATIONACCOUNT=EvidenceStation
; The data folder is then %ProgramData%\EvidenceStation, which only that account, SYSTEM and the
; Administrators may open, and the shortcuts start the station on it (--data). Without the switch
; nothing changes: the station keeps its folder under the user's own %APPDATA%.

!macro customInstall
  Push $R0
  Push $R1
  Push $R2
  Push $R3

  ; $R1: the station's account, from this run's /STATIONACCOUNT= (the site's choice).
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/STATIONACCOUNT=" $R1
  ${If} ${Errors}
    StrCpy $R1 ""
  ${EndIf}
  ; $R2: the data folder chosen by an earlier install, so that an update (run without the
  ; switch) keeps the shortcuts pointing at it.
  ReadRegStr $R2 SHELL_CONTEXT "${INSTALL_REGISTRY_KEY}" StationDataDir

  ${If} $R1 != ""
    ReadEnvStr $R2 "PROGRAMDATA"
    StrCpy $R2 "$R2\EvidenceStation"
    CreateDirectory "$R2"
    ; Drop the entries inherited from ProgramData (which lets every user read and create there),
    ; then give full control, for the folder and all it will hold, to SYSTEM (S-1-5-18) and the
    ; Administrators (S-1-5-32-544). By SID: a Chinese Windows names the group otherwise.
    nsExec::ExecToLog 'icacls "$R2" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F'
    Pop $R3
    ; Grants someone made by hand to Everyone, Authenticated Users, Users or CREATOR OWNER go too.
    nsExec::ExecToLog 'icacls "$R2" /remove:g *S-1-1-0 *S-1-5-11 *S-1-5-32-545 *S-1-3-0'
    Pop $R3
    ; The station's account last: if Windows does not know the name this fails and the folder
    ; stays closed to everyone but SYSTEM and the Administrators (closed, never open).
    nsExec::ExecToLog 'icacls "$R2" /grant:r "$R1:(OI)(CI)F"'
    Pop $R3
    ${If} $R3 != 0
      MessageBox MB_OK|MB_ICONSTOP "无法授予账户 $R1 访问数据目录 $R2 的权限：请先创建该账户，再重新运行安装程序。$\r$\nCould not give the account $R1 access to the data folder $R2: create the account first, then run the installer again." /SD IDOK
    ${EndIf}
    WriteRegStr SHELL_CONTEXT "${INSTALL_REGISTRY_KEY}" StationDataDir "$R2"
  ${EndIf}

  ; The shortcuts electron-builder just made start the station on its default folder: point them
  ; at the station's data folder instead (same target, icon and AUMI).
  ${If} $R2 != ""
    ${If} ${FileExists} "$newStartMenuLink"
      CreateShortCut "$newStartMenuLink" "$appExe" '--data "$R2"' "$appExe" 0 "" "" "${APP_DESCRIPTION}"
      WinShell::SetLnkAUMI "$newStartMenuLink" "${APP_ID}"
    ${EndIf}
    ${If} ${FileExists} "$newDesktopLink"
      CreateShortCut "$newDesktopLink" "$appExe" '--data "$R2"' "$appExe" 0 "" "" "${APP_DESCRIPTION}"
      WinShell::SetLnkAUMI "$newDesktopLink" "${APP_ID}"
    ${EndIf}
    ClearErrors
  ${EndIf}

  Pop $R3
  Pop $R2
  Pop $R1
  Pop $R0
!macroend
